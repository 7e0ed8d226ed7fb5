#!/usr/bin/env bash
# Sourced by the scripts that need a sandbox on loopback. `start_sandbox PORT LOG [OPTION...]` starts
# one on 127.0.0.1:PORT with the OPTIONs, its output in LOG, and waits (at most 10 s) until it
# answers; `stop_sandboxes` stops every one started, as the script's exit does anyway.

sandbox_pids=()
stop_sandboxes() {
    if ((${#sandbox_pids[@]})); then
        kill "${sandbox_pids[@]}" 2>/dev/null || true
    fi
    sandbox_pids=()
}
trap stop_sandboxes EXIT

start_sandbox() {
    local port=$1 log=$2
    shift 2
    cargo build -p wifi-desk-sandbox
    # A server already answering there (another run's sandbox, one left by a run that was killed)
    # would be taken for this one, with its own options and data.
    if (: < "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port on 127.0.0.1 is in use: stop what listens there (or the other test run) first" >&2
        return 1
    fi
    target/debug/wifi-desk-sandbox --addr "127.0.0.1:$port" "$@" > "$log" 2>&1 &
    local pid=$!
    sandbox_pids+=("$pid")
    for _ in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        curl -fsS "http://127.0.0.1:$port/sandbox/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "the sandbox on port $port did not answer:" >&2
    cat "$log" >&2
    return 1
}
