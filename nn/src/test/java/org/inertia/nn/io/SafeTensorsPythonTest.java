package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with PyTorch through {@code nn/src/test/python/safetensors_crosscheck.py}. Runs only
 * where {@code $INERTIA_PYTHON} (default {@code python3}) imports torch and safetensors.torch; elsewhere
 * it is skipped (the byte-exact test in {@link SafeTensorsTest} covers the format without Python).
 */
class SafeTensorsPythonTest {
    private static final Path SCRIPT = Path.of("src/test/python/safetensors_crosscheck.py");

    @TempDir
    Path dir;

    private static String python() {
        String p = System.getenv("INERTIA_PYTHON");
        return p == null || p.isBlank() ? "python3" : p;
    }

    private static String run(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!done) {
            p.destroyForcibly();
            return "timeout";
        }
        return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
    }

    private static boolean pythonAvailable() {
        try {
            return run(python(), "-c", "import torch, safetensors.torch; print('ok')").equals("ok")
                    && Files.isRegularFile(SCRIPT);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The tensors the script's expected() builds, by the same formulas. */
    private static Map<String, NdArray> expected() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        float[] w = new float[12];
        for (int i = 0; i < 12; i++) {
            w[i] = i * 0.25f - 1;
        }
        m.put("weight", NdArray.of(w, 3, 4));
        float[] b = new float[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (i + 1) / 3f;
        }
        m.put("bias", NdArray.of(b, 4));
        m.put("scalar", NdArray.scalar(Dtype.F64, 2.5));
        m.put("steps", NdArray.ofInts(new int[] {1, 2, 3, 4}, 2, 2));
        m.put("empty", NdArray.zeros(Dtype.F32, 0, 3));
        double[] lw = new double[6];
        for (int i = 0; i < 6; i++) {
            lw[i] = i * 1e-3;
        }
        m.put("layer.0.w", NdArray.ofDoubles(lw, 2, 3));
        return m;
    }

    @Test
    void pytorchReadsOursAndWeReadTheirsByteForByte() throws Exception {
        assumeTrue(pythonAvailable(), "no python with torch and safetensors");
        Map<String, NdArray> mine = expected();
        try {
            Path ours = dir.resolve("inertia.safetensors");
            SafeTensors.save(mine, Map.of("format", "pt"), ours);
            assertEquals("ok", run(python(), SCRIPT.toString(), "check", ours.toString()));

            assertEquals("ok", run(python(), SCRIPT.toString(), "write", dir.toString()));
            Path theirs = dir.resolve("torch.safetensors");
            // same tensors, same metadata: the reference writer and ours produce identical files
            assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
            Map<String, NdArray> loaded = SafeTensors.load(theirs);
            try {
                for (var e : mine.entrySet()) {
                    NdArray got = loaded.get(e.getKey());
                    assertEquals(e.getValue().dtype(), got.dtype());
                    assertEquals(e.getValue().shape(), got.shape());
                    assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), e.getKey());
                }
            } finally {
                loaded.values().forEach(NdArray::close);
            }

            Map<String, NdArray> extra = SafeTensors.load(dir.resolve("torch_extra.safetensors"));
            try {
                assertEquals(List.of("bf", "half", "i64", "u8"), extra.keySet().stream().sorted().toList());
                assertArrayEquals(new int[] {-2, -1, 0, 1, 2}, extra.get("i64").toIntArray());
                assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f}, extra.get("half").toFloatArray());
                assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f}, extra.get("bf").toFloatArray());
                assertArrayEquals(new int[] {0, 7, 255}, extra.get("u8").toIntArray());
            } finally {
                extra.values().forEach(NdArray::close);
            }
        } finally {
            mine.values().forEach(NdArray::close);
        }
    }
}
