package org.inertia.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * One CUDA shared library, opened on first use and kept for the life of the process. Opening never
 * happens at class-load time, so a machine without CUDA loads every class and only a call into the
 * library reports {@link CudaUnavailableException}.
 */
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final List<String> sonames;
    private final String installHint;
    private volatile SymbolLookup lookup;
    private volatile CudaUnavailableException failure;

    NativeLibrary(String name, String installHint, String... sonames) {
        this.name = name;
        this.sonames = List.of(sonames);
        this.installHint = installHint;
    }

    String name() {
        return name;
    }

    /** Whether the library can be opened (opens it if it has not been). */
    boolean available() {
        try {
            lookup();
            return true;
        } catch (CudaUnavailableException e) {
            return false;
        }
    }

    /** Why the library cannot be opened, or null if it can. */
    String unavailableReason() {
        try {
            lookup();
            return null;
        } catch (CudaUnavailableException e) {
            return e.getMessage();
        }
    }

    private SymbolLookup lookup() {
        SymbolLookup l = lookup;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (lookup != null) {
                return lookup;
            }
            if (failure != null) {
                throw failure;
            }
            LibraryLocator.Found found = LibraryLocator.find(name, sonames);
            if (!found.present() && System.getProperty("inertia.cuda.lib." + name) == null) {
                for (String so : sonames) { // last, the dynamic loader's own search (LD_LIBRARY_PATH, ld.so.cache)
                    try {
                        lookup = SymbolLookup.libraryLookup(so, Arena.global());
                        return lookup;
                    } catch (IllegalArgumentException notThere) {
                        // try the next soname
                    }
                }
            }
            if (!found.present()) {
                failure = new CudaUnavailableException("CUDA library " + sonames.get(0) + " not found (looked at "
                        + found.searched() + ", and the dynamic loader's path); " + installHint);
                throw failure;
            }
            try {
                lookup = SymbolLookup.libraryLookup(found.path(), Arena.global());
            } catch (IllegalArgumentException e) {
                failure = new CudaUnavailableException("CUDA library " + found.path() + " could not be opened: "
                        + e.getMessage(), e);
                throw failure;
            }
            return lookup;
        }
    }

    /** A downcall handle to the C function {@code symbol}, linked now. */
    MethodHandle link(String symbol, FunctionDescriptor descriptor) {
        var address = lookup().find(symbol).orElseThrow(() -> new CudaUnavailableException(
                "CUDA library " + name + " has no function " + symbol + " (a different CUDA version?)"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** One C function of this library, linked on its first call (the C prototype is in the caller's Javadoc). */
    final class Function {
        private final String symbol;
        private final FunctionDescriptor descriptor;
        private volatile MethodHandle handle;

        Function(String symbol, FunctionDescriptor descriptor) {
            this.symbol = symbol;
            this.descriptor = descriptor;
        }

        String symbol() {
            return symbol;
        }

        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                h = link(symbol, descriptor);
                handle = h;
            }
            return h;
        }
    }

    Function function(String symbol, FunctionDescriptor descriptor) {
        return new Function(symbol, descriptor);
    }
}
