package org.inertia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of the style guide, checked on the sources: dependencies point one way
 * (kernels ← native-bindings, optim ← nn ← bench, app; app compiles against no class of bench), only the
 * SIMD packages link the incubating Vector API, every simple class name in src/main is used once, and one
 * validator ({@code org.inertia.kernels.Checks}) checks the arguments of every module.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final List<String> MODULES = List.of("kernels", "native-bindings", "optim", "nn", "bench", "app",
            "examples");

    private static List<Path> javaSources(String module) {
        Path dir = ROOT.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> offenders(String module, Pattern forbidden, String allowedPathPart) {
        return javaSources(module).stream()
                .filter(p -> allowedPathPart == null || !p.toString().contains(allowedPathPart))
                .filter(p -> {
                    try {
                        return forbidden.matcher(Files.readString(p)).find();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(p -> ROOT.relativize(p).toString())
                .toList();
    }

    @Test
    void sourcesAreWhereWeThinkTheyAre() {
        assertTrue(javaSources("kernels").size() > 10, "kernels sources not found under " + ROOT);
    }

    @Test
    void onlyTheSimdPackagesLinkTheVectorApi() {
        Pattern vector = Pattern.compile("import\\s+(static\\s+)?jdk\\.incubator\\.vector");
        for (String m : MODULES) {
            String simd = m.equals("optim") ? "org/inertia/optim/kernel/simd/" : "org/inertia/kernels/simd/";
            assertEquals(List.of(), offenders(m, vector, simd), m);
        }
    }

    @Test
    void optimizerStepKernelsLiveInOptimAndNothingOutsideItsSimdPackageNamesTheSimdSteps() {
        // optim owns its step kernels: the backend has no *Step methods, kernels no step kernels
        Pattern step = Pattern.compile(
                "\\b(StepHyper|OptimizerSteps\\w*|(sgd|heavyBall|nesterov|nag|aggmo|adagrad|rmsprop|adam|rprop|sgld|sghmc)Step)\\b");
        assertEquals(List.of(), offenders("kernels", step, null));
        // the SIMD implementation is loaded by name: no other class refers to it
        Pattern simdSteps = Pattern.compile(
                "import\\s+(static\\s+)?org\\.inertia\\.optim\\.kernel\\.simd\\.|new\\s+[\\w.]*OptimizerStepsSimd\\s*\\(");
        assertEquals(List.of(), offenders("optim", simdSteps, "org/inertia/optim/kernel/simd/"));
    }

    @Test
    void kernelsKnowNothingOfTheLayersAbove() {
        // module-info aside: its one qualified export (the SIMD helpers, to optim's step kernels) names optim
        Pattern above = Pattern.compile("org\\.inertia\\.(nn|optim|nativebindings|bench|app)\\b");
        assertEquals(List.of(), offenders("kernels", above, "module-info.java"));
    }

    @Test
    void optimDoesNotNeedNn() {
        Pattern nn = Pattern.compile("org\\.inertia\\.(nn|bench|app|nativebindings)\\b");
        assertEquals(List.of(), offenders("optim", nn, null));
    }

    @Test
    void nnAndNativeBindingsDoNotReachSideways() {
        assertEquals(List.of(), offenders("nn", Pattern.compile("org\\.inertia\\.(bench|app|nativebindings)\\b"), null));
        assertEquals(List.of(), offenders("native-bindings", Pattern.compile("org\\.inertia\\.(bench|app|nn|optim)\\b"), null));
    }

    @Test
    void benchAndAppDoNotCompileAgainstEachOther() {
        // bench holds the JMH benchmarks, app the CLI and the experiments: app has bench on its run-time class
        // path only (the bench verb runs the benchmarks through JMH's Runner API, by name), bench never sees app
        assertEquals(List.of(), offenders("bench", Pattern.compile("org\\.inertia\\.app\\b"), null));
        assertEquals(List.of(), offenders("app", Pattern.compile("org\\.inertia\\.bench\\.\\w+\\.[A-Z]"), null));
    }

    @Test
    void simpleClassNamesAreUniqueInMainSources() {
        // one name, one class: a reader (or an import) never has to ask which Init or which GradClip
        Map<String, List<String>> byName = new TreeMap<>();
        for (String m : MODULES) {
            for (Path p : javaSources(m)) {
                String file = p.getFileName().toString();
                if (file.equals("module-info.java") || file.equals("package-info.java")) {
                    continue;
                }
                byName.computeIfAbsent(file.substring(0, file.length() - ".java".length()), k -> new ArrayList<>())
                        .add(ROOT.relativize(p).toString());
            }
        }
        Map<String, List<String>> duplicates = new TreeMap<>();
        byName.forEach((name, files) -> {
            if (files.size() > 1) {
                duplicates.put(name, files);
            }
        });
        assertEquals(Map.of(), duplicates);
    }

    @Test
    void oneValidatorChecksTheArgumentsOfEveryModule() {
        // org.inertia.kernels.Checks, which every module reads; no module grows its own Args or Validate again
        Pattern validatorName = Pattern.compile("\\w*(Checks|Args|Validate|Validation|Validator)");
        List<String> others = MODULES.stream().flatMap(m -> javaSources(m).stream())
                .filter(p -> validatorName.matcher(p.getFileName().toString().replace(".java", "")).matches())
                .map(p -> ROOT.relativize(p).toString())
                .filter(p -> !p.equals("kernels/src/main/java/org/inertia/kernels/Checks.java"))
                .toList();
        assertEquals(List.of(), others);
    }

    @Test
    void onePlacePicksTheBackendAndNnAndOptimNeverNameOne() {
        // Backends.get() is the one place; nn and optim take the families from a Backend they are given
        Pattern cpu = Pattern.compile("\\bCpuBackend\\b|org\\.inertia\\.kernels\\.cpu\\.(?!KernelPool\\b|SimdSupport\\b)");
        assertEquals(List.of(), offenders("nn", cpu, null));
        assertEquals(List.of(), offenders("optim", cpu, null));
    }

    @Test
    void everyKernelFamilyHasTheFiveRolesAndItsSimdClassIsLoadedByName() {
        Path kernels = ROOT.resolve("kernels/src/main/java/org/inertia/kernels");
        for (String f : List.of("Blas1", "Elementwise", "Reductions", "Gemm", "Conv", "Layers", "LstmGates",
                "GradClip")) {
            for (String role : List.of(f + ".java", f + "Support.java", "cpu/" + f + "Scalar.java",
                    "cpu/" + f + "Provider.java", "simd/" + f + "Simd.java")) {
                assertTrue(Files.isRegularFile(kernels.resolve(role)), "kernel family " + f + " lacks " + role);
            }
        }
        // the SIMD package is reached only by name (the providers) and from optim's own SIMD package
        Pattern simd = Pattern.compile("import\\s+(static\\s+)?org\\.inertia\\.kernels\\.simd\\.|new\\s+\\w*Simd\\s*\\(");
        assertEquals(List.of(), offenders("kernels", simd, "org/inertia/kernels/simd/"));
        assertEquals(List.of(), offenders("nn", simd, null));
        assertEquals(List.of(), offenders("bench", simd, null));
    }
}
