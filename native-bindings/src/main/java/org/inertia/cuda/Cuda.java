package org.inertia.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this process can use CUDA, found out once without side effects on a machine that has none:
 * {@link #probe()} never throws, it reports. A caller that asks for the CUDA backend and gets
 * {@code available() == false} should say {@link Status#reason()} and use the CPU backend.
 */
public final class Cuda {
    private static volatile Status cached;

    private Cuda() {
    }

    /**
     * The outcome of the probe: devices found (with names), or why CUDA cannot be used here.
     *
     * @param available whether a CUDA device can be used
     * @param deviceCount number of CUDA devices the driver reports; 0 when not available
     * @param deviceNames device names by ordinal (or {@code "device d"} where the name could not be read); empty
     *     when not available
     * @param runtimeVersion CUDA runtime version as {@code 1000 * major + 10 * minor}; 0 if unknown
     * @param driverVersion CUDA version the driver supports, same encoding; 0 if no driver
     * @param reason why CUDA cannot be used, for a person; {@code null} when available
     */
    public record Status(boolean available, int deviceCount, List<String> deviceNames, int runtimeVersion,
            int driverVersion, String reason) {
        /**
         * One line for a person: devices and versions, or the reason.
         *
         * @return e.g. {@code "CUDA 12.4 (driver 12.6), 1 device(s): NVIDIA H100"}, or {@code "CUDA not available: "}
         *     and the reason
         */
        public String describe() {
            if (!available) {
                return "CUDA not available: " + reason;
            }
            return "CUDA " + version(runtimeVersion) + " (driver " + version(driverVersion) + "), " + deviceCount
                    + " device(s): " + String.join(", ", deviceNames);
        }

        private static String version(int v) {
            return v / 1000 + "." + (v % 1000) / 10;
        }
    }

    /**
     * Probes once per process (libraries, driver, device count) and remembers the result. Never throws.
     *
     * @return the remembered status (the same instance on every call)
     */
    public static Status probe() {
        Status s = cached;
        if (s == null) {
            synchronized (Cuda.class) {
                if (cached == null) {
                    cached = probeNow();
                }
                s = cached;
            }
        }
        return s;
    }

    /**
     * Whether a CUDA device can be used.
     *
     * @return {@code probe().available()}
     */
    public static boolean available() {
        return probe().available();
    }

    static Status probeNow() {
        String missing = CudaRuntime.libraryUnavailableReason();
        if (missing != null) {
            return unavailable(missing, 0, 0);
        }
        int runtime;
        int driver;
        try {
            runtime = CudaRuntime.cudaRuntimeGetVersion();
            driver = CudaRuntime.cudaDriverGetVersion();
        } catch (RuntimeException e) {
            return unavailable("the CUDA runtime does not answer: " + e.getMessage(), 0, 0);
        }
        if (driver == 0) {
            return unavailable("no NVIDIA driver is installed (cudaDriverGetVersion reports 0; "
                    + CudaDriver.libraryUnavailableReason() + ")", runtime, 0);
        }
        int count;
        try {
            count = CudaRuntime.cudaGetDeviceCount();
        } catch (CudaException e) {
            return unavailable(e.getMessage(), runtime, driver);
        }
        if (count == 0) {
            return unavailable("the driver reports no CUDA device", runtime, driver);
        }
        List<String> names = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            try {
                CudaDriver.cuInit();
                names.add(CudaDriver.deviceName(d));
            } catch (RuntimeException e) {
                names.add("device " + d);
            }
        }
        return new Status(true, count, List.copyOf(names), runtime, driver, null);
    }

    private static Status unavailable(String reason, int runtime, int driver) {
        return new Status(false, 0, List.of(), runtime, driver, reason);
    }
}
