# Sourced by scripts/kafka.sh: the opt-in SASL_SSL listener (KAFKA_SASL_SSL_PORT), its local CA
# and broker certificate, and the SCRAM-SHA-256 users. Uses the variables kafka.sh sets.

# Generates, once per run dir, a CA and a broker certificate for 127.0.0.1 and localhost signed
# by it, plus the broker's PKCS12 keystore. Clients trust ca.pem.
generate_tls() {
  [[ -f "$TLS_DIR/broker.p12" ]] && return 0
  require openssl "install OpenSSL to generate the certificates of the SASL_SSL listener."
  local tmp="$TLS_DIR.tmp.$$" password
  rm -rf "$tmp"
  mkdir -p "$tmp"
  password="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  printf '%s' "$password" >"$tmp/keystore.password"
  printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' >"$tmp/broker.ext"
  if ! {
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -subj "/CN=todo-events local Kafka CA ($PORT)" -keyout "$tmp/ca.key" -out "$tmp/ca.pem" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign &&
      openssl req -newkey rsa:2048 -nodes -sha256 -subj /CN=localhost \
        -keyout "$tmp/broker.key" -out "$tmp/broker.csr" &&
      openssl x509 -req -in "$tmp/broker.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
        -CAcreateserial -days 825 -sha256 -extfile "$tmp/broker.ext" -out "$tmp/broker.pem" &&
      openssl pkcs12 -export -name broker -in "$tmp/broker.pem" -inkey "$tmp/broker.key" \
        -certfile "$tmp/ca.pem" -passout "pass:$password" -out "$tmp/broker.p12"
  } >"$tmp/openssl.log" 2>&1; then
    cat "$tmp/openssl.log" >&2
    rm -rf "$tmp"
    die "could not generate the TLS certificates"
  fi
  chmod 600 "$tmp"/*.key "$tmp/keystore.password"
  rm -f "$tmp/broker.csr" "$tmp/broker.ext" "$tmp/ca.srl" "$tmp/openssl.log"
  rm -rf "$TLS_DIR"
  mv "$tmp" "$TLS_DIR"
  log "generated a CA and a broker certificate in ${TLS_DIR#"$ROOT"/}"
}

# Checks KAFKA_SCRAM_USERS and sets SCRAM_ARGS to the storage tool's --add-scram arguments.
set_scram_args() {
  local entry name password
  local -a entries
  SCRAM_ARGS=()
  IFS=',' read -r -a entries <<<"$SCRAM_USERS"
  ((${#entries[@]} > 0)) || die "KAFKA_SCRAM_USERS is empty; expected name:password[,name:password...]"
  for entry in "${entries[@]}"; do
    name="${entry%%:*}"
    password="${entry#*:}"
    if [[ "$entry" != *:* || ! "$name" =~ ^[A-Za-z0-9._@-]+$ || ! "$password" =~ ^[^][,:=\"\'[:space:]]+$ ]]; then
      die "KAFKA_SCRAM_USERS entry '$entry' is not name:password (letters, digits, . _ @ - in names; no , : = [ ] quotes or spaces in passwords)"
    fi
    SCRAM_ARGS+=(--add-scram "SCRAM-SHA-256=[name=$name,password=$password]")
  done
}

print_sasl_ssl() {
  [[ -n "$SASL_SSL_PORT" ]] || return 0
  echo "SASL_SSL (SCRAM-SHA-256) on 127.0.0.1:$SASL_SSL_PORT, CA certificate: $TLS_DIR/ca.pem"
}
