package org.inertia.app.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A baseline script of {@code bench/compare/} run with a Python interpreter, and what that baseline runs;
 * a baseline that cannot run is reported with the reason, never invented.
 *
 * <p>The scripts share one output protocol (bench/compare/baseline_info.py): lines starting with
 * {@code "# "} describe the baseline (interpreter, library versions, BLAS library and kernel, fused or
 * foreach path), every other line is data, and a baseline that refuses to run, because its BLAS is a
 * reference BLAS (netlib), exits with {@link #REFUSED} after a {@code "# refused: ..."} line saying how to
 * install OpenBLAS. Which interpreters to run is asked from the same helper ({@link #interpreters}), so the
 * shell scripts and {@code ./inertia bench} find the same PyTorch builds.
 */
public final class PythonBaseline {
    /** The exit code of a baseline that refuses to time a reference BLAS. */
    public static final int REFUSED = 3;
    /** The helper that describes baselines and finds interpreters, in the compare directory. */
    static final String HELPER = "baseline_info.py";
    /** Interpreters that may run the helper itself (it only starts the candidates). */
    private static final List<String> HELPER_PYTHONS = List.of("python3", "/usr/bin/python3");

    /**
     * The script's data lines, why there are none (null if it ran), the interpreter with its module
     * versions, and the description lines (without the {@code "# "}).
     */
    public record Output(List<String> lines, String missing, String interpreter, List<String> description) {
        public boolean available() {
            return missing == null;
        }

        /** The value of the first description line {@code "key: value"}, or null. */
        public String described(String key) {
            for (String d : description) {
                if (d.startsWith(key + ": ")) {
                    return d.substring(key.length() + 2);
                }
            }
            return null;
        }

        /** "torch 2.13.0+cpu" / "numpy 2.4.6" from the description, else the interpreter. */
        public String label() {
            for (String module : List.of("torch", "numpy", "scipy")) {
                String v = described(module);
                if (v != null) {
                    return module + " " + v.split(" ")[0];
                }
            }
            return interpreter;
        }
    }

    private PythonBaseline() {
    }

    /** "numpy 2.4.6, scipy 1.17.1" for the comma-separated {@code modules}, as {@code py} imports them. */
    static String versions(String py, String modules) {
        StringBuilder code = new StringBuilder("import importlib\n");
        for (String m : modules.split(",")) {
            code.append("print('").append(m.trim()).append("', importlib.import_module('").append(m.trim())
                    .append("').__version__)\n");
        }
        try {
            Process p = new ProcessBuilder(py, "-c", code.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return String.join(", ", out.lines().toList());
        } catch (IOException e) {
            return "versions unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "versions unknown";
        }
    }

    /**
     * One interpreter per distinct installation of {@code module} ("torch", "numpy" or "scipy"), in the order
     * of bench/compare/baseline_info.py: $TORCH_PYTHON or $NUMPY_PYTHON, $VIRTUAL_ENV, the venvs in the
     * repository root (.venv-torch, venv-torch, .venv, venv), Debian's /usr/bin/python3, python3 on PATH.
     * Empty if none imports it or no Python can run the helper.
     */
    public static List<String> interpreters(Path compareDir, String module) throws InterruptedException {
        Path helper = compareDir.resolve(HELPER);
        if (!Files.isRegularFile(helper)) {
            return List.of();
        }
        for (String py : HELPER_PYTHONS) {
            try {
                Process p = new ProcessBuilder(py, helper.toString(), module + "-pythons")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    return out.lines().filter(l -> !l.isBlank()).map(l -> l.split("\t")[0]).toList();
                }
            } catch (IOException e) {
                // this python is not installed: try the next
            }
        }
        return List.of();
    }

    /** Why there is no interpreter for {@code module}, with how to get one. */
    public static String noInterpreter(String module) {
        return "no Python imports " + module + (module.equals("torch")
                ? " (current PyTorch: python3 -m venv .venv-torch && .venv-torch/bin/pip install torch numpy, or set "
                  + "TORCH_PYTHON; Debian's: apt-get install python3-torch python3-threadpoolctl libopenblas0-pthread)"
                : " (pip install numpy scipy)");
    }

    /**
     * Runs {@code script} with {@code py}; env entries with a null value are removed (e.g.
     * OPENBLAS_CORETYPE). {@code modules} (comma-separated) are reported with their versions.
     */
    public static Output run(String py, String modules, Path script, List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            return new Output(List.of(), "baseline script " + script + " not found (run from the repository root or pass "
                    + "--compare-dir)", null, List.of());
        }
        List<String> cmd = new ArrayList<>(List.of(py, script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Output(List.of(), py + " cannot be started: " + e.getMessage(), null, List.of());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        List<String> description = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (String l : out.lines().toList()) {
            if (l.startsWith("# ")) {
                description.add(l.substring(2));
            } else if (!l.isBlank()) {
                data.add(l);
            }
        }
        String refused = description.stream().filter(d -> d.startsWith("refused: ")).findFirst().orElse(null);
        if (code == REFUSED && refused != null) {
            return new Output(List.of(), py + ": " + refused, py, description);
        }
        if (code != 0) {
            return new Output(List.of(), py + " " + script.getFileName() + " failed with exit code " + code, null,
                    description);
        }
        return new Output(data, null, py + " (" + versions(py, modules) + ")", description);
    }
}
