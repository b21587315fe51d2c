# Sourced by scripts/kafka.sh: fetches the broker's jars from Maven Central once per version
# (scripts/kafka/pom.xml). Uses the variables kafka.sh sets.

# True if the jars of $KAFKA_VERSION were downloaded with the current pom.xml.
downloaded() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(cksum <"$ROOT/scripts/kafka/pom.xml")" ]]
}

download() {
  downloaded && return 0
  # Serialize downloads of one version across ports (flock is Linux-only; skipped elsewhere).
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$CACHE/.download-$KAFKA_VERSION.lock"
    flock 8
    downloaded && return 0
  fi
  require mvn "install Maven 3.6+ (e.g. apt-get install maven) to download Kafka $KAFKA_VERSION."
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central into ${LIBS#"$ROOT"/} (once)..."
  local tmp="$VERSION_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$VERSION_DIR"
  if ! mvn -B -Dstyle.color=never -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$tmp" >"$VERSION_DIR/mvn.log" 2>&1; then
    tail -n 40 "$VERSION_DIR/mvn.log" >&2
    rm -rf "$tmp"
    die "mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION (full log: $VERSION_DIR/mvn.log)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "download incomplete: no kafka_2.13-$KAFKA_VERSION.jar"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  cksum <"$ROOT/scripts/kafka/pom.xml" >"$MARKER"
}
