package org.inertia.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.inertia.kernels.cpu.CpuBackend;

/**
 * The one place that picks the backend the upper layers compute on (new parameters, optimizers without an
 * explicit backend). Chosen once, from the system property {@value #PROPERTY}: {@code cpu} (the default)
 * or the {@link Backend#name()} of a backend registered as a {@link ServiceLoader} service of
 * {@link Backend} (a module's {@code provides org.inertia.kernels.Backend with ...}, or a
 * {@code META-INF/services/org.inertia.kernels.Backend} entry on the class path). nn and optim never name
 * a backend class.
 */
public final class Backends {
    /** The system property that names the backend; unset means {@code cpu}. */
    public static final String PROPERTY = "inertia.backend";

    private Backends() {
    }

    private static final class Chosen {
        static final Backend BACKEND = named(System.getProperty(PROPERTY, CpuBackend.NAME).trim());
    }

    /**
     * The process's backend, chosen once on first use; throws if {@value #PROPERTY} names no backend.
     *
     * @return the process-wide backend
     */
    public static Backend get() {
        return Chosen.BACKEND;
    }

    /**
     * The backend called {@code name}: the CPU backend for {@code cpu}, else the first registered service
     * with that name. Throws {@link IllegalArgumentException} naming the property, the value and the
     * backends that exist.
     *
     * @param name the backend's name, e.g. {@code "cpu"}
     * @return the backend of that name
     */
    public static Backend named(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + " must name a backend, got " + (name == null ? "null" : "''"));
        }
        if (name.equals(CpuBackend.NAME)) {
            return CpuBackend.get();
        }
        List<String> available = new ArrayList<>(List.of(CpuBackend.NAME));
        for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
            if (b.name().equals(name)) {
                return b;
            }
            available.add(b.name());
        }
        throw new IllegalArgumentException(PROPERTY + "=" + name + " names no backend; available: " + available);
    }
}
