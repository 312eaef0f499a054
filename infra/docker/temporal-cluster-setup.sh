#!/bin/sh
# One-shot setup of the Temporal cluster of docker-compose.temporal-cluster.yml, in Temporal's
# admin-tools image (POSIX sh: the image is Alpine's). What scripts/temporal-cluster.sh does on
# one machine, with the image's own tools:
#   temporal-cluster-setup.sh schema      create temporal and temporal_visibility and bring their
#                                         schemas up to date (SQL_* variables: temporal-sql-tool's)
#   temporal-cluster-setup.sh namespace   wait for the frontend at $TEMPORAL_ADDRESS, register `default`
# Each step is a no-op when already done.
set -eu

SCHEMA_DIR=/etc/temporal/schema/postgresql/v12
RETENTION="${TEMPORAL_RETENTION:-72h}"

case "${1:-}" in
  schema)
    for pair in temporal:temporal temporal_visibility:visibility; do
      db="${pair%%:*}"
      schema="${pair#*:}"
      echo "[mamos] schema of $db"
      # create-database fails when the database exists; setup-schema then finds it.
      temporal-sql-tool --db "$db" create-database 2>/dev/null || true
      temporal-sql-tool --db "$db" setup-schema -v 0.0
      temporal-sql-tool --db "$db" update-schema -d "$SCHEMA_DIR/$schema/versioned"
    done
    ;;
  namespace)
    until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
      echo "[mamos] waiting for the frontend at $TEMPORAL_ADDRESS"
      sleep 2
    done
    temporal operator namespace describe --namespace default --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
      || temporal operator namespace create --namespace default --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
    ;;
  -h | --help)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    echo "usage: $0 schema|namespace" >&2
    exit 2
    ;;
esac
