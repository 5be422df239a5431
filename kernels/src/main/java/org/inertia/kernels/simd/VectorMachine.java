package org.inertia.kernels.simd;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the register tiles and cache blocks of the kernels depend on, read once from the machine: the
 * number of vector registers the JIT may use, and the L1 data and L2 cache sizes.
 *
 * <p><b>Vector registers.</b> x86-64 has 16 vector registers up to AVX2 and 32 with AVX-512 (ymm/zmm16-31
 * need EVEX encoding). What matters is what C2 emits, so on x86 this asks the running JVM's {@code UseAVX}
 * flag (3 means AVX-512; {@code -XX:UseAVX=2} on an AVX-512 machine makes C2 use only ymm0-15, which is how
 * an AVX2 machine is reproduced on one). AArch64 has 32 (NEON and SVE). Where the flag cannot be read
 * (another JVM) a 512-bit preferred species implies AVX-512, anything narrower on x86 is taken as 16.
 *
 * <p><b>Caches.</b> Linux's {@code /sys/devices/system/cpu/cpu0/cache/index*}; elsewhere, or if unreadable,
 * 32 KiB L1d, 512 KiB L2 and 8 MiB L3 (the smallest of current x86 and Arm server cores, so blocks stay in
 * cache). The L3 is the last-level cache cpu0 shares with the other cores; a machine without one reports
 * the default.
 *
 * @param arch the CPU architecture: {@code os.arch}, lower-cased
 * @param vectorRegisters the vector registers the JIT may use
 * @param registerSource where the register count came from, for reports
 * @param l1dBytes the L1 data cache size in bytes
 * @param l2Bytes the L2 cache size in bytes
 * @param l3Bytes the L3 (last-level, shared) cache size in bytes
 * @param cacheSource where the cache sizes came from, for reports
 */
public record VectorMachine(String arch, int vectorRegisters, String registerSource, int l1dBytes, int l2Bytes,
        int l3Bytes, String cacheSource) {

    /** This machine, read once. */
    public static final VectorMachine CURRENT = detect();

    private static final int DEFAULT_L1D = 32 << 10;
    private static final int DEFAULT_L2 = 512 << 10;
    private static final int DEFAULT_L3 = 8 << 20;

    static VectorMachine detect() {
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        int regs;
        String regSource;
        if (arch.equals("aarch64") || arch.equals("arm64") || arch.startsWith("riscv")) {
            regs = 32;
            regSource = arch;
        } else if (arch.equals("amd64") || arch.equals("x86_64")) {
            Integer useAvx = hotspotIntFlag("UseAVX");
            if (useAvx != null) {
                regs = useAvx >= 3 ? 32 : 16;
                regSource = "UseAVX=" + useAvx;
            } else {
                regs = FloatSpecies.F.vectorBitSize() >= 512 ? 32 : 16;
                regSource = "x86, " + FloatSpecies.F.vectorBitSize() + "-bit species";
            }
        } else {
            regs = 16;
            regSource = arch + " (assumed)";
        }
        int l1 = -1;
        int l2 = -1;
        int l3 = -1;
        for (int i = 0; i < 8; i++) {
            Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + i);
            String level = read(dir.resolve("level"));
            String type = read(dir.resolve("type"));
            int size = parseSize(read(dir.resolve("size")));
            if (level == null || type == null || size <= 0) {
                continue;
            }
            if (level.equals("1") && type.equals("Data")) {
                l1 = size;
            } else if (level.equals("2") && !type.equals("Instruction")) {
                l2 = size;
            } else if (level.equals("3") && !type.equals("Instruction")) {
                l3 = size;
            }
        }
        String cacheSource = l1 > 0 && l2 > 0 ? "sysfs" : "default";
        return new VectorMachine(arch, regs, regSource, l1 > 0 ? l1 : DEFAULT_L1D, l2 > 0 ? l2 : DEFAULT_L2,
                l3 > 0 ? l3 : DEFAULT_L3, cacheSource);
    }

    /** A HotSpot int flag of the running JVM, or null where there is no such flag or bean. */
    private static Integer hotspotIntFlag(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : Integer.valueOf(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses sysfs cache sizes: "32K", "1024K", "1M" or a plain byte count; -1 when unreadable.
     *
     * @param s the sysfs size text, or null
     * @return the size in bytes, or −1
     */
    public static int parseSize(String s) {
        if (s == null || s.isEmpty()) {
            return -1;
        }
        try {
            char unit = Character.toUpperCase(s.charAt(s.length() - 1));
            long mult = switch (unit) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
            long v = Long.parseLong(digits.trim()) * mult;
            return v > 0 && v <= Integer.MAX_VALUE ? (int) v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * One line for logs and report headers.
     *
     * @return the one-line description
     */
    public String describe() {
        return arch + ", " + vectorRegisters + " vector registers (" + registerSource + "), L1d " + (l1dBytes >> 10)
                + " KiB, L2 " + (l2Bytes >> 10) + " KiB, L3 " + (l3Bytes >> 20) + " MiB (" + cacheSource + ")";
    }
}
