package org.inertia.bench.cli;

import org.inertia.kernels.cpu.CpuBackend;

/** The {@code inertia} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("inertia on " + CpuBackend.get());
    }
}
