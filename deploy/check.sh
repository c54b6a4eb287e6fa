#!/bin/sh
# Checks the deploy files as far as this machine allows:
#   nginx -t on the site (NGINX_BIN=path to an nginx binary; a throwaway certificate is made),
#   systemd-analyze verify on the units (paths rewritten to this checkout),
#   compose.yaml parsed as YAML and its commands found (docker itself is not needed).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || true)}
if [ -n "$NGINX_BIN" ]; then
  mkdir -p "$TMP/logs" "$TMP/cache" "$TMP/conf"
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=concertation.example.fr -days 1 \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
  sed -e "s#/etc/letsencrypt/live/concertation.example.fr/fullchain.pem#$TMP/cert.pem#" \
      -e "s#/etc/letsencrypt/live/concertation.example.fr/privkey.pem#$TMP/key.pem#" \
      -e "s#/var/cache/nginx/concertation#$TMP/cache#" "$HERE/nginx/concertation.conf" > "$TMP/conf/site.conf"
  MIME=$(dirname "$NGINX_BIN")/../../etc/nginx/mime.types
  [ -f "$MIME" ] || MIME=/etc/nginx/mime.types
  printf 'pid %s/nginx.pid;\nerror_log %s/logs/error.log;\nevents {}\nhttp {\n include %s;\n access_log off;\n client_body_temp_path %s/body;\n proxy_temp_path %s/proxy;\n fastcgi_temp_path %s/fcgi;\n uwsgi_temp_path %s/uwsgi;\n scgi_temp_path %s/scgi;\n include %s/conf/site.conf;\n}\n' \
    "$TMP" "$TMP" "$MIME" "$TMP" "$TMP" "$TMP" "$TMP" "$TMP" "$TMP" > "$TMP/nginx.conf"
  env -u NGINX "$NGINX_BIN" -t -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/logs/error.log"
else
  echo "nginx absent : configuration non vérifiée (NGINX_BIN=/chemin/vers/nginx)"
fi
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$TMP/units"
  for unit in "$HERE"/systemd/*; do
    sed -e "s#/srv/concertation/.venv#$ROOT/.venv#g" -e "s#/srv/concertation#$ROOT#g" \
        -e "s#EnvironmentFile=/etc/concertation/env#EnvironmentFile=-/etc/concertation/env#" \
        -e "s#^User=.*#User=$(id -un)#" -e "s#^Group=.*#Group=$(id -gn)#" "$unit" > "$TMP/units/$(basename "$unit")"
  done
  cp "$TMP/units/concertation-worker@.service" "$TMP/units/concertation-worker@1.service"
  (cd "$TMP/units" && SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no ./concertation.service \
    ./concertation-worker@1.service ./*.timer ./concertation-sweep.service ./concertation-purge.service \
    ./concertation-notify-phases.service ./concertation-moderation-digest.service \
    ./concertation-workshop-reminders.service)
  echo "systemd : unités vérifiées"
fi
"$ROOT/.venv/bin/python" - "$HERE/compose.yaml" "$ROOT" <<'PY'
import sys, yaml, shutil
compose = yaml.safe_load(open(sys.argv[1]))
services = compose["services"]
for name, service in services.items():
    command = service.get("command")
    if isinstance(command, list) and command[0] in ("flask", "gunicorn"):
        assert shutil.which(command[0], path=sys.argv[2] + "/.venv/bin"), command
print("compose.yaml : YAML valide,", len(services), "services :", ", ".join(services))
PY
