# Finds a JDK 21 or newer without a machine-specific path, and reads the JVM flags Nines runs
# with (scripts/jvm.options); sourced by ./nines and the peer benchmark scripts.
#
# Order: $JAVA_HOME, then `java` on the PATH, then the usual install folders (Linux packages,
# macOS, SDKMAN, asdf, IntelliJ downloads). Among install folders the newest version wins.
# On success sets JAVA_HOME and returns 0; otherwise prints what to install and returns 1.

NINES_MIN_JAVA=21

nines_java_version() { # prints the feature version of the JDK at $1, or nothing
  local home=$1
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  "$home/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ { v=$2; sub(/^1\./, "", v); print int(v); exit }'
}

nines_find_jdk() {
  local candidates=() dir v best="" best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(nines_java_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$NINES_MIN_JAVA" ]; then
      return 0
    fi
  fi
  if command -v java >/dev/null 2>&1; then
    dir=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    v=$(nines_java_version "$dir")
    if [ -n "$v" ] && [ "$v" -ge "$NINES_MIN_JAVA" ]; then
      export JAVA_HOME=$dir
      return 0
    fi
  fi
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/opt/openjdk* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
    "$HOME"/.asdf/installs/java/* "$HOME"/.jdks/*; do
    [ -d "$dir" ] || continue
    v=$(nines_java_version "$dir")
    if [ -n "$v" ] && [ "$v" -ge "$NINES_MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then
      best=$dir
      best_v=$v
    fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME=$best
    return 0
  fi
  cat >&2 <<MSG
nines: no JDK $NINES_MIN_JAVA or newer found.
  Looked at \$JAVA_HOME (${JAVA_HOME:-unset}), 'java' on the PATH, /usr/lib/jvm, /usr/java,
  /opt/java, /Library/Java/JavaVirtualMachines, SDKMAN, asdf and ~/.jdks.
  Install one, for example:
    Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk   (or a Temurin JDK from adoptium.net)
    Fedora/RHEL:    sudo dnf install java-21-openjdk-devel
    macOS:          brew install openjdk@21
    SDKMAN:         sdk install java 21-tem
  or point JAVA_HOME at a JDK $NINES_MIN_JAVA+ you already have.
MSG
  return 1
}

# nines_java_options JAR [COMMAND]: prints the flags of scripts/jvm.options (comment and blank
# lines left out), for a COMMAND (server, demo) the flags of its class-data archive, then
# $NINES_JAVA_OPTS, one per line: read them with mapfile and pass them before -jar JAR.
#
# The archive (next to JAR, named after it, COMMAND and the JDK's version) holds the classes that
# command loaded, parsed and verified, and cuts the start of an empty server from about 2.6 s to
# 1.6 s here. The JVM writes it when a run without a usable one exits normally (Ctrl-C and SIGTERM
# included; not after kill -9), and keeps using it after; one per command, so that a short command
# (--help) does not leave the server an archive of the few classes it loaded. A JVM that finds the
# archive older than its jar ignores it without writing a new one, so an archive older than JAR is
# deleted here first. See docs/performance.md, "Start-up".
nines_java_options() {
  local file jar=${1:-} command=${2:-} jsa version
  file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jvm.options"
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$file" | tr -s ' \t' '\n' | grep -v '^$'
  if [ -n "$command" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
    jsa="${jar%.jar}-$command-jdk${version:-unknown}.jsa"
    if [ -f "$jsa" ] && [ "$jar" -nt "$jsa" ]; then
      rm -f "$jsa"
    fi
    # -Xlog:cds=off: the JDK's own base archive was made without --enable-native-access, and each
    # start would log that mismatch as an error although the archive works.
    printf '%s\n' "-XX:SharedArchiveFile=$jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=off
  fi
  # shellcheck disable=SC2086
  [ -z "${NINES_JAVA_OPTS:-}" ] || printf '%s\n' ${NINES_JAVA_OPTS}
}
