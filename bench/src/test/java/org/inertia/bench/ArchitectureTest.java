package org.inertia.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of the style guide, checked on the sources: dependencies point one way
 * (kernels ← native-bindings, optim, nn ← bench), and only the SIMD package links the incubating
 * Vector API.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

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
        for (String m : List.of("kernels", "native-bindings", "optim", "nn", "bench")) {
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
        Pattern above = Pattern.compile("org\\.inertia\\.(nn|optim|nativebindings|bench)\\b");
        assertEquals(List.of(), offenders("kernels", above, "module-info.java"));
    }

    @Test
    void optimDoesNotNeedNn() {
        Pattern nn = Pattern.compile("org\\.inertia\\.(nn|bench|nativebindings)\\b");
        assertEquals(List.of(), offenders("optim", nn, null));
    }

    @Test
    void nnAndNativeBindingsDoNotReachSideways() {
        assertEquals(List.of(), offenders("nn", Pattern.compile("org\\.inertia\\.(bench|nativebindings)\\b"), null));
        assertEquals(List.of(), offenders("native-bindings", Pattern.compile("org\\.inertia\\.(bench|nn|optim)\\b"), null));
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
