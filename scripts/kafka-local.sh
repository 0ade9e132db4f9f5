#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one process) on loopback, from the Maven Central
# jars (org.apache.kafka:kafka_2.13, resolved by Maven on first use), for running the Kafka examples locally.
#
#   scripts/kafka-local.sh start                    # 127.0.0.1:9092 (KAFKA_PORT to change), data in $KAFKA_DIR
#   scripts/kafka-local.sh topic NAME PARTITIONS    # creates a topic (no error if it exists)
#   scripts/kafka-local.sh status | stop | clean    # clean: stop and delete the data
#
# Needs Java 17+ and Maven. The examples' topics are created by `start`:
# clicks (6 partitions), click-totals (3), clicks-bad (1).
set -euo pipefail

PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
DIR=${KAFKA_DIR:-${TMPDIR:-/tmp}/stretch-kafka-$PORT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PID_FILE=$DIR/kafka.pid
CP_FILE=$DIR/classpath.txt

running() {
    [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

classpath() {
    if [[ ! -s $CP_FILE ]]; then
        mkdir -p "$DIR"
        echo "resolving the Kafka jars with Maven (first use only)..." >&2
        mvn -B -q -f "$ROOT/scripts/kafka-local/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >&2
    fi
    cat "$CP_FILE"
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

topic() {
    local name=$1 partitions=$2
    java -cp "$(classpath)" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" \
        --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 1 >/dev/null
    echo "topic $name ($partitions partitions)"
}

start() {
    if running; then
        echo "Kafka already runs on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"
        return 0
    fi
    if port_open "$PORT"; then
        echo "port $PORT is taken by another process; set KAFKA_PORT" >&2
        exit 1
    fi
    mkdir -p "$DIR/data"
    local cp
    cp=$(classpath)
    cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
    if [[ ! -f $DIR/data/meta.properties ]]; then
        java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
            -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 || { cat "$DIR/format.log" >&2; exit 1; }
    fi
    nohup java -Xmx512m -cp "$cp" kafka.Kafka "$DIR/server.properties" >"$DIR/kafka.log" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 120); do
        if port_open "$PORT"; then
            echo "Kafka on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"), data and log in $DIR)"
            topic clicks 6
            topic click-totals 3
            topic clicks-bad 1
            return 0
        fi
        if ! running; then
            echo "Kafka exited; its log:" >&2
            tail -20 "$DIR/kafka.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    echo "Kafka did not open port $PORT within 60 s; see $DIR/kafka.log" >&2
    exit 1
}

stop() {
    if running; then
        local pid
        pid=$(cat "$PID_FILE")
        kill "$pid"
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "Kafka stopped"
    else
        echo "Kafka is not running"
    fi
    rm -f "$PID_FILE"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) if running; then echo "Kafka runs on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"; else echo "Kafka is not running"; exit 3; fi ;;
    topic) [[ $# -eq 3 ]] || { echo "usage: $0 topic NAME PARTITIONS" >&2; exit 2; }; topic "$2" "$3" ;;
    clean) stop; rm -rf "$DIR" ;;
    *) echo "usage: $0 start|stop|status|clean|topic NAME PARTITIONS" >&2; exit 2 ;;
esac
