#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) from Maven Central jars.
#   kafka.sh install|start|stop|status
# Jars are cached in $CACHE_DIR/kafka-$KAFKA_VERSION; data and logs live in $TESTENV_DIR.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

RT="$CACHE_DIR/kafka-$KAFKA_VERSION-log4j-$LOG4J_VERSION"
KDIR="$TESTENV_DIR/kafka"
PIDFILE="$KDIR/kafka.pid"
OUT="$LOG_DIR/kafka.log"

install() {
  [ -f "$RT/.complete" ] && return 0
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central"
  rm -rf "$RT"
  mvn -B -q -f "$HERE/kafka/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    -DoutputDirectory="$RT/libs" -DincludeScope=runtime
  cp "$HERE/kafka/log4j2.properties" "$RT/log4j2.properties"
  touch "$RT/.complete"
}

ready() { grep -q 'Kafka Server started' "$OUT" 2>/dev/null && port_in_use "$KAFKA_PORT"; }

start() {
  install
  if pid_alive "$PIDFILE"; then
    ready || die "kafka is running (pid $(cat "$PIDFILE")) but not ready; see $OUT"
    log "kafka already running on $TESTENV_HOST:$KAFKA_PORT"; return 0
  fi
  local p; for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_in_use "$p" && die "port $p is already in use on $TESTENV_HOST (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
  done
  rm -rf "$KDIR"; mkdir -p "$KDIR"
  cat > "$KDIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$TESTENV_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$TESTENV_HOST:$KAFKA_PORT,CONTROLLER://$TESTENV_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$TESTENV_HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KDIR/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
PROPS
  local java_opts=(-Xms256m -Xmx${KAFKA_HEAP:-768m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$RT/log4j2.properties" "-Dkafka.logs.dir=$KDIR/logs")
  local cid
  cid=$(java "${java_opts[@]}" -cp "$RT/libs/*" kafka.tools.StorageTool random-uuid | tail -n 1)
  java "${java_opts[@]}" -cp "$RT/libs/*" kafka.tools.StorageTool format \
    -t "$cid" -c "$KDIR/server.properties" --ignore-formatted > "$KDIR/format.log" 2>&1 \
    || { cat "$KDIR/format.log" >&2; die "kafka storage format failed"; }
  : > "$OUT"
  nohup java "${java_opts[@]}" -cp "$RT/libs/*" kafka.Kafka "$KDIR/server.properties" >> "$OUT" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  if ! wait_until 120 "kafka" ready; then
    tail -n 40 "$OUT" >&2; die "kafka did not start within 120 s; see $OUT"
  fi
  log "kafka ready on $TESTENV_HOST:$KAFKA_PORT (pid $(cat "$PIDFILE"))"
}

stop() { stop_pid "$PIDFILE" kafka; }

status() {
  if pid_alive "$PIDFILE" && ready; then echo "kafka: running on $TESTENV_HOST:$KAFKA_PORT (pid $(cat "$PIDFILE"))"
  else echo "kafka: stopped"; return 1; fi
}

case "${1:-}" in
  install|start|stop|status) "$1" ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
