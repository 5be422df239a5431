package org.inertia.bench.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A baseline script of {@code bench/compare/} run with a Python interpreter, if that interpreter can import
 * what the script needs; otherwise the reason, so a missing baseline is reported and never invented.
 */
public final class PythonBaseline {
    /** The script's output lines and the interpreter with its module versions, or why there are none. */
    public record Output(List<String> lines, String missing, String interpreter) {
        public boolean available() {
            return missing == null;
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

    /** The first of {@code candidates} that can {@code import modules}, or null. */
    public static String interpreter(List<String> candidates, String modules) {
        for (String py : candidates) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import " + modules).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return py;
                }
            } catch (IOException e) {
                // not installed: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * Runs {@code script} with the first interpreter of {@code candidates} that imports {@code modules}; env
     * entries with a null value are removed (e.g. OPENBLAS_CORETYPE).
     */
    public static Output run(List<String> candidates, String modules, Path script, List<String> args,
                             Map<String, String> env) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            return new Output(List.of(), "baseline script " + script + " not found (run from the repository root or pass --compare-dir)", null);
        }
        String py = interpreter(candidates, modules);
        if (py == null) {
            return new Output(List.of(), "no Python among " + candidates + " imports " + modules
                    + (modules.contains("torch") ? " (Debian: apt-get install python3-torch)" : " (pip install numpy scipy)"), null);
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
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return new Output(List.of(), py + " " + script.getFileName() + " failed with exit code " + p.exitValue(), null);
        }
        return new Output(out.lines().filter(l -> !l.isBlank()).toList(), null, py + " (" + versions(py, modules) + ")");
    }
}
