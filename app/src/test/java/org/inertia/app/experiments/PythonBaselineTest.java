package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baseline output protocol shared with bench/compare/baseline_info.py: "# " description lines, data
 * lines, and the refusal of a reference BLAS (exit code 3 with the reason), run through a real python3
 * on small stand-in scripts.
 */
class PythonBaselineTest {
    private static final String PY = "python3";

    private static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, body);
        return p;
    }

    @Test
    void separatesDescriptionFromDataAndLabelsTheBaseline(@TempDir Path dir) throws Exception {
        Path s = script(dir, "ok.py", """
                import sys
                print("# python: x")
                print("# torch: 9.9.9+cpu from /somewhere, CPU capability AVX2")
                print("# blas: OpenBLAS 0.3.31, kernel Haswell")
                print("64 1 900.0 71000 fused")
                print("")
                print("256 1 2000.0 128000 fused " + sys.argv[1])
                """);
        PythonBaseline.Output o = PythonBaseline.run(PY, "sys", s, List.of("arg"), Map.of());
        assertTrue(o.available(), o.missing());
        assertEquals(List.of("64 1 900.0 71000 fused", "256 1 2000.0 128000 fused arg"), o.lines());
        assertEquals(3, o.description().size());
        assertEquals("OpenBLAS 0.3.31, kernel Haswell", o.described("blas"));
        assertEquals("torch 9.9.9+cpu", o.label());
    }

    @Test
    void aRefusedBaselineIsMissingWithItsReason(@TempDir Path dir) throws Exception {
        Path s = script(dir, "refuse.py", """
                import sys
                print("# blas: reference BLAS without an optimized kernel (/usr/lib/x/blas/libblas.so.3)")
                print("# refused: install OpenBLAS: apt-get install libopenblas0-pthread")
                sys.exit(3)
                """);
        PythonBaseline.Output o = PythonBaseline.run(PY, "sys", s, List.of(), Map.of());
        assertFalse(o.available());
        assertTrue(o.missing().contains("refused: install OpenBLAS: apt-get install libopenblas0-pthread"), o.missing());
        assertTrue(o.lines().isEmpty());
    }

    @Test
    void aFailedRunOrAMissingScriptIsMissingNeverAFigure(@TempDir Path dir) throws Exception {
        Path s = script(dir, "fail.py", "print('1 2 3')\nraise SystemExit(1)\n");
        PythonBaseline.Output o = PythonBaseline.run(PY, "sys", s, List.of(), Map.of());
        assertFalse(o.available());
        assertTrue(o.missing().contains("exit code 1"), o.missing());
        assertTrue(o.lines().isEmpty());
        PythonBaseline.Output none = PythonBaseline.run(PY, "sys", dir.resolve("absent.py"), List.of(), Map.of());
        assertTrue(none.missing().contains("not found"), none.missing());
        PythonBaseline.Output noPython = PythonBaseline.run(dir.resolve("no-such-python").toString(), "sys", s, List.of(),
                Map.of());
        assertTrue(noPython.missing().contains("cannot be started"), noPython.missing());
    }

    @Test
    void removesEnvironmentEntriesGivenAsNull(@TempDir Path dir) throws Exception {
        Path s = script(dir, "env.py", "import os\nprint(os.environ.get('OPENBLAS_CORETYPE', 'unset'), os.environ['X'])\n");
        Map<String, String> env = new HashMap<>();
        env.put("OPENBLAS_CORETYPE", null);
        env.put("X", "y");
        assertEquals(List.of("unset y"), PythonBaseline.run(PY, "sys", s, List.of(), env).lines());
    }

    @Test
    void asksTheHelperForTheInterpreters(@TempDir Path dir) throws Exception {
        script(dir, PythonBaseline.HELPER, """
                import sys
                assert sys.argv[1] == "torch-pythons"
                print("/opt/venv/bin/python\\t2.13.0+cpu")
                print("/usr/bin/python3\\t1.13.0a0")
                """);
        assertEquals(List.of("/opt/venv/bin/python", "/usr/bin/python3"), PythonBaseline.interpreters(dir, "torch"));
        assertEquals(List.of(), PythonBaseline.interpreters(dir.resolve("nowhere"), "torch"));
    }

    @Test
    void theRealHelperClassifiesThisProcessBlasOrSaysItCannot() throws Exception {
        Path helper = Path.of("..", "bench", "compare", PythonBaseline.HELPER).toAbsolutePath();
        PythonBaseline.Output o = PythonBaseline.run(PY, "sys", helper, List.of("describe"), Map.of());
        assertTrue(o.available(), o.missing());
        assertTrue(o.lines().isEmpty(), "describe prints description lines only: " + o.lines());
        String numpy = o.described("numpy");
        assertTrue(numpy != null, o.description().toString());
        if (!numpy.equals("not importable")) {
            String blas = o.described("blas");
            assertTrue(blas != null && !blas.isBlank(), o.description().toString());
        }
        assertNull(o.described("refused"), "describe never refuses");
    }
}
