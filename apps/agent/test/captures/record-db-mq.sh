#!/usr/bin/env bash
# Re-records the MySQL/PostgreSQL/Redis/MQTT/AMQP captures on the loopback from the real
# local servers (MariaDB 3306, PostgreSQL 5432, Redis 6379, Mosquitto 1883, RabbitMQ 5672).
# Needs root and tcpdump. The fixture tests assert what these commands did.
set -euo pipefail
cd "$(dirname "$0")"
AGENT=$(cd ../.. && pwd)

record() { # name port command...
  local name=$1 port=$2
  shift 2
  tcpdump -i lo -s 0 -U -w "$name.pcap" "tcp port $port" 2>/dev/null &
  local pid=$!
  sleep 1
  "$@"
  sleep 1
  kill "$pid"
  wait "$pid" || true
}

mysql_session() {
  mariadb -h 127.0.0.1 -u root --skip-ssl test -e "
    CREATE TABLE IF NOT EXISTS zs_l7 (id INT PRIMARY KEY, name VARCHAR(32));
    DELETE FROM zs_l7;
    INSERT INTO zs_l7 VALUES (1, 'a'), (2, 'b'), (3, 'c');
    UPDATE zs_l7 SET name = 'z' WHERE id > 1;
    SELECT * FROM zs_l7;
    SELECT * FROM zs_l7_missing;" || true
  (cd "$AGENT" && node test/captures/mysql-prepared.mjs)
}

postgresql_session() {
  psql "host=127.0.0.1 user=postgres dbname=postgres sslmode=disable" -v ON_ERROR_STOP=0 -q \
    -c "CREATE TEMP TABLE zs_l7 (id int); INSERT INTO zs_l7 VALUES (1), (2), (3); SELECT * FROM zs_l7;" \
    -c "SELECT * FROM zs_missing_table;" || true
  node postgresql-extended.mjs
}

redis_session() {
  redis-cli -h 127.0.0.1 SET zs:key hello
  redis-cli -h 127.0.0.1 INCR zs:key || true
  printf '*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$6\r\nzs:cnt\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$6\r\nzs:cnt\r\n*2\r\n$3\r\nGET\r\n$6\r\nzs:cnt\r\n' |
    redis-cli -h 127.0.0.1 --pipe
  redis-cli -h 127.0.0.1 -3 HGETALL zs:nohash
}

mqtt_session() {
  mosquitto_sub -h 127.0.0.1 -t zs/test -C 2 -q 1 -i zs-sub &
  local sub=$!
  sleep 0.5
  mosquitto_pub -h 127.0.0.1 -t zs/test -m hello-qos0 -q 0 -i zs-pub0
  mosquitto_pub -h 127.0.0.1 -t zs/test -m hello-qos2 -q 2 -i zs-pub2 -V mqttv5
  wait "$sub"
}

amqp_session() { (cd "$AGENT" && node test/captures/amqp-client.mjs); }

record mysql-client 3306 mysql_session
record postgresql-client 5432 postgresql_session
record redis-client 6379 redis_session
record mqtt-client 1883 mqtt_session
record amqp-client 5672 amqp_session
ls -l ./*-client.pcap
