#!/usr/bin/env bash
# Parley benchmarks (results go to integration/target/bench/, summaries to docs/performance.md).
#   integration/bench/run.sh memory [N] [key=value ...]   live heap per idle authenticated connection (N = 10000)
#   integration/bench/run.sh fanout [key=value ...]       latency and frames/s of one room, sizes compared
#   integration/bench/run.sh cluster-fanout [key=value ...] one room over two instances and Redis (issue 9's scenario)
#   integration/bench/run.sh cluster-memory [key=value ...] RSS and live heap per idle socket over two instances
#   integration/bench/run.sh node-fanout [key=value ...]  issue 9's scenario with the Node.js load client, against Parley
#                                                         and the Node reference server (integration/bench/node/compare.mjs)
#   integration/bench/run.sh fuzz [cases=100000] [seed=N]  the long run of HostileFramesFuzzTest (Maven profile bench)
# Options are listed in the Javadoc of IdleConnectionsBench and FanoutBench, e.g. repetitions=3, room-size=100,
# sizes=100,1000, rate=20, seconds=10, server-jvm="-Xmx1g -XX:+UseG1GC"; node-fanout's at the top of compare.mjs,
# e.g. sizes=2000,5000 servers=parley,node. BENCH_NO_BUILD=1 skips the build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# Helidon 4 needs Java 21+ (the same choice as ./parley): a suitable JAVA_HOME, else the newest 21+ in /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p' | head -1; }
select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return
  fi
  local best="" best_version=0 dir version
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -x "$dir/bin/javac" ] || continue
    version=$(java_major "$dir")
    if [ -n "$version" ] && [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
      best=$dir best_version=$version
    fi
  done
  if [ -z "$best" ]; then
    echo "bench: no JDK 21+ found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    exit 1
  fi
  export JAVA_HOME=$best
}
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

kind=${1:-}
[ -n "$kind" ] || usage
shift
case "$kind" in
  memory)
    main=io.parley.it.bench.IdleConnectionsBench
    if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
      set -- "connections=$1" "${@:2}"
    fi ;;
  fanout) main=io.parley.it.bench.FanoutBench ;;
  cluster-fanout) main=io.parley.it.bench.ClusterFanoutBench ;;
  cluster-memory) main=io.parley.it.bench.ClusterIdleMemoryBench ;;
  node-fanout) main="" ;; # Node.js: compare.mjs, below
  fuzz) main="" ;; # Maven's bench profile, below
  *) usage ;;
esac

select_jdk
export PATH="$JAVA_HOME/bin:$PATH"

# One descriptor per socket on each side (the load client and the server are separate processes, each inheriting
# this limit): raise the soft limit to the hard one. Above the hard limit, or above ~28,000 sockets (the loopback
# ephemeral port range, /proc/sys/net/ipv4/ip_local_port_range), a bigger N needs root to raise them.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "bench: JDK $JAVA_HOME, open files limit $(ulimit -n)"

if [ "$kind" = fuzz ]; then
  # Random and mutated frames over real sockets (HostileFramesFuzzTest), 100,000 cases unless cases= says otherwise;
  # a failure names its seed, and seed= replays it.
  flags=()
  for arg in "$@"; do
    case "$arg" in
      cases=*) flags+=("-Dfuzz.cases=${arg#cases=}") ;;
      seed=*) flags+=("-Dparley.fuzz.seed=${arg#seed=}") ;;
      *) echo "bench: fuzz takes cases=N and seed=N, not $arg" >&2; exit 2 ;;
    esac
  done
  cd "$repo"
  exec mvn -B -pl chat-service -am -Pbench test "${flags[@]}"
fi

classpath_file="$repo/integration/target/bench.classpath"
if [ "${BENCH_NO_BUILD:-}" != 1 ] || [ ! -f "$classpath_file" ]; then
  echo "bench: building (mvn test-compile of chat-service and integration)"
  (cd "$repo" && mvn -B -q -pl chat-service,integration -am test-compile dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath)
fi
classpath="$repo/integration/target/test-classes:$repo/integration/target/classes:$(cat "$classpath_file")"

if [ "$kind" = node-fanout ]; then
  node_dir="$here/node"
  command -v node >/dev/null || { echo "bench: node-fanout needs Node.js 20+ (node on the PATH)" >&2; exit 1; }
  if [ ! -d "$node_dir/node_modules" ]; then
    echo "bench: npm ci in $node_dir"
    (cd "$node_dir" && npm ci --no-audit --no-fund)
  fi
  # The Parley servers run from the class path built above (or from another build, as with the Java benchmarks).
  if [ -z "${BENCH_SERVER_CLASSPATH:-}" ]; then
    export BENCH_SERVER_CLASSPATH="$classpath"
    if [ "${BENCH_NO_BUILD:-}" = 1 ]; then
      export BENCH_SERVER_CLASSPATH_FROM="integration/target as last built (BENCH_NO_BUILD=1)"
    else
      export BENCH_SERVER_CLASSPATH_FROM="integration/target, built by this run"
    fi
  fi
  exec node "$node_dir/compare.mjs" "$@"
fi

cd "$repo/integration"
# The load client holds every socket of the run; 2 GB is plenty for 20,000 of them.
exec java ${BENCH_CLIENT_JVM:--Xmx2g -XX:+UseG1GC} -cp "$classpath" "$main" "$@"
