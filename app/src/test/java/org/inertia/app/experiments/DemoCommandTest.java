package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.inertia.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
    private static final Pattern REF = Pattern.compile("(src|href)=\"([^\"]*)\"");

    /**
     * Every image and link of an HTML page, checked as a browser would load them: a relative reference
     * must name an existing, non-empty file (an image one that starts with its format's signature), an
     * embedded image must decode to a PNG; returns the relative references.
     */
    static List<String> assertReferencesResolve(Path html) throws Exception {
        String page = Files.readString(html);
        Matcher m = REF.matcher(page);
        List<String> relative = new ArrayList<>();
        while (m.find()) {
            String ref = m.group(2).replace("&amp;", "&");
            assertFalse(ref.isEmpty(), html + ": an empty " + m.group(1));
            if (ref.startsWith("data:image/png;base64,")) {
                byte[] png = Base64.getDecoder().decode(ref.substring(ref.indexOf(',') + 1));
                assertTrue(png.length > 100 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', html + ": a broken embedded image");
                continue;
            }
            assertFalse(ref.contains(":"), html + ": only relative references are expected, got " + ref);
            Path target = html.resolveSibling(ref);
            assertTrue(Files.isRegularFile(target) && Files.size(target) > 0, html + " refers to a missing file: " + ref);
            if (ref.endsWith(".png")) {
                byte[] b = Files.readAllBytes(target);
                assertTrue(b[1] == 'P' && b[2] == 'N' && b[3] == 'G', ref + " is not a PNG");
            } else if (ref.endsWith(".svg")) {
                assertTrue(Files.readString(target).contains("<svg"), ref + " is not an SVG");
            } else if (ref.endsWith(".html")) {
                assertReferencesResolve(target);
            }
            relative.add(ref);
        }
        return relative;
    }

    @Test
    void demoPassesItsKernelChecksAndWritesEveryReportWithWorkingLinks(@TempDir Path dir) throws Exception {
        int code = new CommandLine(new Main()).execute("demo", "--steps", "200", "--gemm-n", "128", "--out", dir.toString());
        assertEquals(0, code, "a kernel disagreed with its reference");
        for (String f : new String[] {"quadratic/quadratic-path.html", "quadratic/quadratic-path-exact.csv",
            "heavyball/heavyball.html", "heavyball/heavyball-rates.csv", "copying/rnn-copying.html",
            "copying/rnn-copying-loss.png", "copying/rnn-copying-gradnorm.svg", "demo.html"}) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
        Path demo = dir.resolve("demo.html");
        String page = Files.readString(demo);
        assertTrue(page.contains("Kernels against their double-precision references") && page.contains("sgemm")
                && page.contains("softmax"), "demo.html lacks the kernel table");
        List<String> refs = assertReferencesResolve(demo);
        long images = refs.stream().filter(r -> r.endsWith(".png")).count();
        assertTrue(images >= 7, "demo.html shows the plots inline: " + refs);
        assertTrue(refs.contains("quadratic/quadratic-path-exact.csv") && refs.contains("heavyball/heavyball-radius.svg"), refs.toString());
        // each sub-report links the CSV and SVG files of its plots
        for (String sub : List.of("quadratic/quadratic-path.html", "heavyball/heavyball.html", "copying/rnn-copying.html")) {
            List<String> subRefs = assertReferencesResolve(dir.resolve(sub));
            assertTrue(subRefs.stream().anyMatch(r -> r.endsWith(".csv")) && subRefs.stream().anyMatch(r -> r.endsWith(".svg")),
                    sub + " links no CSV or SVG: " + subRefs);
        }
        assertFalse(page.contains("e-16,") || page.matches("(?s).*-[0-9.]+e-1[5-9].*"), "a negative or rounding-level f - f* is shown as a number");
    }
}
