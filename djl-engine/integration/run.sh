#!/usr/bin/env bash
# Runs DJL's own integration tests for NDArray, training and nn (deepjavalibrary/djl integration/, packages
# ai.djl.integration.tests.{ndarray,training,nn}) against the Inertia engine and prints DJL's tally
# (passed, failed, unsupported, skipped). Needs a JDK 25 as JAVA_HOME, the engine installed
# (mvn -pl djl-engine -am install -DskipTests from the repository root) and DJL's sources:
#   DJL_SRC=/path/to/djl-checkout   a working tree, or
#   DJL_GIT=/path/to/djl.git        a (bare) git repository, read at DJL_REV (default HEAD).
# MAVEN_REPO=/path/to/repository picks the local Maven repository (default ~/.m2/repository).
# Extra arguments go to DJL's IntegrationTest, e.g. -c ndarray.NDArrayCreationOpTest -m testZeros.
set -euo pipefail
cd "$(dirname "$0")"
src=target/djl-src
rm -rf "$src" target/classes
mkdir -p "$src"
parts=(integration/src/main/java/ai/djl/integration/IntegrationTest.java
       integration/src/main/java/ai/djl/integration/util
       integration/src/main/java/ai/djl/integration/tests/ndarray
       integration/src/main/java/ai/djl/integration/tests/training
       integration/src/main/java/ai/djl/integration/tests/nn
       testing/src/main/java/ai/djl/testing/Assertions.java
       testing/src/main/java/ai/djl/testing/TestRequirements.java)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${DJL_SRC:-}" ]; then
  (cd "$DJL_SRC" && tar -cf - "${parts[@]}") | tar -xf - -C "$tmp"
elif [ -n "${DJL_GIT:-}" ]; then
  git --git-dir="$DJL_GIT" archive "${DJL_REV:-HEAD}" "${parts[@]}" | tar -xf - -C "$tmp"
else
  echo "run.sh: set DJL_SRC (a DJL checkout) or DJL_GIT (a DJL git directory)" >&2
  exit 2
fi
cp -r "$tmp"/integration/src/main/java/* "$src"/
cp -r "$tmp"/testing/src/main/java/* "$src"/
rm -f "$src"/ai/djl/integration/util/DebugEnvironment.java
mvn -B -ntp -q ${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO} compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Xmx3g \
  -Dai.djl.default_engine=Inertia -Dorg.slf4j.simpleLogger.defaultLogLevel=info ${DJL_IT_LOG:+-Dorg.slf4j.simpleLogger.log.ai.djl.integration.IntegrationTest=$DJL_IT_LOG} \
  -cp "target/classes:$(cat target/classpath.txt)" ai.djl.integration.IntegrationTest "$@"
