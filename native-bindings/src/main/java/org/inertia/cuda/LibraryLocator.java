package org.inertia.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a CUDA shared library: first the file named by the system property
 * {@code inertia.cuda.lib.<name>} (e.g. {@code -Dinertia.cuda.lib.cublas=/opt/cuda/lib64/libcublas.so.13}),
 * then the directory of {@code inertia.cuda.path} or the environment variable {@code INERTIA_CUDA_PATH},
 * then {@code $CUDA_HOME}/{@code $CUDA_PATH}, then the standard locations ({@code /usr/local/cuda/lib64},
 * {@code /usr/local/cuda/lib}, {@code /usr/local/cuda/targets/x86_64-linux/lib},
 * {@code /usr/lib/x86_64-linux-gnu}, {@code /usr/lib64}, {@code /usr/lib/wsl/lib}); in each directory
 * the newest soname first. When none is there the result names every place tried ({@link NativeLibrary}
 * then asks the dynamic loader, which also searches {@code LD_LIBRARY_PATH} and the ld.so cache).
 */
final class LibraryLocator {
    private LibraryLocator() {
    }

    /** Where a library was found, or why not. */
    record Found(Path path, String searched) {
        boolean present() {
            return path != null;
        }
    }

    /**
     * Looks for {@code sonames} (preferred first) of the library called {@code name} ("cudart",
     * "cublas", "nvrtc", "cuda").
     */
    static Found find(String name, List<String> sonames) {
        List<String> tried = new ArrayList<>();
        String explicit = System.getProperty("inertia.cuda.lib." + name);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (Files.isRegularFile(p)) {
                return new Found(p, explicit);
            }
            return new Found(null, "-Dinertia.cuda.lib." + name + "=" + explicit + " (no such file)");
        }
        for (Path dir : directories()) {
            for (String so : sonames) {
                Path p = dir.resolve(so);
                tried.add(p.toString());
                if (Files.isRegularFile(p)) {
                    return new Found(p, String.join(", ", tried));
                }
            }
        }
        return new Found(null, String.join(", ", tried));
    }

    static List<Path> directories() {
        Set<Path> dirs = new LinkedHashSet<>();
        String prop = System.getProperty("inertia.cuda.path");
        addHome(dirs, prop);
        addHome(dirs, System.getenv("INERTIA_CUDA_PATH"));
        addHome(dirs, System.getenv("CUDA_HOME"));
        addHome(dirs, System.getenv("CUDA_PATH"));
        addHome(dirs, "/usr/local/cuda");
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/lib/wsl/lib"));
        return new ArrayList<>(dirs);
    }

    /** A CUDA home (its lib64, lib, targets/x86_64-linux/lib) or a directory holding the libraries. */
    private static void addHome(Set<Path> dirs, String home) {
        if (home == null || home.isBlank()) {
            return;
        }
        Path h = Path.of(home);
        dirs.add(h);
        dirs.add(h.resolve("lib64"));
        dirs.add(h.resolve("lib"));
        dirs.add(h.resolve("targets/x86_64-linux/lib"));
    }
}
