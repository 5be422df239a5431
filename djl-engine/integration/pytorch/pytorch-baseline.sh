#!/usr/bin/env bash
# Baseline for bench/RESULTS.md (issue #15), not part of any build: the same DJL MLP training step as
# org.inertia.djl.examples.MlpStepBench on DJL's PyTorch engine (pytorch-engine 0.36.0 with its own api 0.36.0,
# pytorch-native-cpu 2.7.1 from Maven Central, 1 intra-op and 1 inter-op thread, offline: the native library
# comes from the jar). Usage: djl-engine/integration/pytorch/pytorch-baseline.sh [batch ...] (default 64 256).
set -euo pipefail
cd "$(dirname "$0")"
repo=${MAVEN_REPO:-$HOME/.m2/repository}
for a in ai.djl:api:0.36.0 ai.djl.pytorch:pytorch-engine:0.36.0 ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 \
         ai.djl.pytorch:pytorch-native-cpu:2.7.1:jar:linux-x86_64 com.google.code.gson:gson:2.13.1 \
         net.java.dev.jna:jna:5.17.0 org.apache.commons:commons-compress:1.27.1 org.slf4j:slf4j-api:2.0.17; do
  mvn -B -ntp -q dependency:get -Dartifact="$a" </dev/null >/dev/null
done
cp="$repo/ai/djl/api/0.36.0/api-0.36.0.jar"
cp="$cp:$repo/ai/djl/pytorch/pytorch-engine/0.36.0/pytorch-engine-0.36.0.jar"
cp="$cp:$repo/ai/djl/pytorch/pytorch-jni/2.7.1-0.36.0/pytorch-jni-2.7.1-0.36.0.jar"
cp="$cp:$repo/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar"
cp="$cp:$(ls "$repo"/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar):$repo/net/java/dev/jna/jna/5.17.0/jna-5.17.0.jar"
cp="$cp:$repo/org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar"
cp="$cp:$repo/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"
[ $# -gt 0 ] || set -- 64 256
exec java -Doffline=true -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -DPYTORCH_FLAVOR=cpu -cp "$cp" PtMlpStep.java "$@"
