// The text `oss-fetch` prints for --help and for usage errors.

export const USAGE = `Usage: oss-fetch <command> [options]

Commands:
  serve    Run the local OSS-compatible server

Run "oss-fetch serve --help" for its options.`;

export const SERVE_HELP = `Usage: oss-fetch serve [options]

Runs a local server that answers as Alibaba Cloud OSS does, for the oss-fetch and ali-oss
clients. Without --access-key-id it accepts the public dev key it prints at start.

Storage (one of):
  --dir PATH               keep objects in this directory (default ./.oss-data, or $OSS_DIR)
  --memory                 keep objects in memory; lost on exit
  --sink                   keep no bytes: uploads are measured and dropped, reads return zeros

Server:
  --port N                 port to listen on (default 9000, or $OSS_PORT; 0 picks a free one)
  --host ADDR              interface to bind (default 127.0.0.1)
  --bucket NAME            create this bucket at start if missing (repeatable)
  --region ID              region the server answers as (default cn-hangzhou)
  --access-key-id ID       accept this key instead of the dev key (needs --access-key-secret)
  --access-key-secret S    its secret (never printed)
  --account-id DIGITS      the key's owner account, as role ARNs name it (default 1000000000000000)
  --cors permissive|off    permissive (default): buckets the server creates get a CORS rule
                           allowing http(s) pages on localhost, 127.0.0.1 and [::1], any port;
                           off: only the rules set with PutBucketCors
  --callback-host NAME     upload callbacks may also go to this host (repeatable); by default
                           the server calls back only localhost and 127.0.0.0/8

Testing your app against failures:
  --faults SPEC            inject faults into the next matching requests. SPEC is JSON (a rule
                           or an array of rules) or rules separated by ";" as
                           kind[:name=value,...]. Kinds: status, reset, stall, truncate, corrupt.
                           Fields: count (requests affected, default 1), status (default 503),
                           afterBytes (response bytes before the fault), requestBytes (act on
                           the upload instead), ms (stall length), method, keyPrefix.
                           e.g. --faults "status:status=503,count=3;reset:afterBytes=65536,method=GET"
  --clock-skew=MS          move the server clock by MS milliseconds (negative: behind; write
                           it with "="), to see your app cope with RequestTimeTooSkewed
  --admin                  serve the admin API under /-/ (no authentication: keep it on
                           127.0.0.1): GET/POST/DELETE /-/faults, POST /-/clock {"skewMs": n}

  -h, --help               print this help

Environment:
  OSS_PORT, OSS_DIR        defaults for --port and --dir (npm start reads them too)
  DEMO_PORT                the port of npm start's demo page (default 5173)`;
