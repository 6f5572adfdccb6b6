#!/bin/sh
# HAProxy's external check for one Galera node (arguments: proxy address, proxy port, server
# address, server port). Healthy only when the node is Synced (wsrep_local_state 4) and ready
# (wsrep_ready ON): a joining node, a donor, or a node cut off from the primary component still
# accepts connections but answers statements with errno 1047.
# The user haproxy_check has no password and no privileges; SHOW STATUS needs none.
status=$(mariadb --no-defaults --protocol=tcp --host="$3" --port="$4" --user=haproxy_check \
    --connect-timeout=2 --batch --skip-column-names \
    --execute="SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready')" 2>/dev/null) || exit 1
printf '%s\n' "$status" | grep -qx 'wsrep_local_state	4' || exit 1
printf '%s\n' "$status" | grep -qx 'wsrep_ready	ON' || exit 1
exit 0
