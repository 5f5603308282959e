package dev.glassbox.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a published benchmark number needs beside it: the JDK, the CPU (its model name, and the family/model
 * numbers that tell one generation of "Intel Xeon Processor" from another on cloud machines that hide the name),
 * whether it has AVX-512 (the Vector API's preferred width doubles with it, and with it the GEMM peak), the cores,
 * and the load average (on a shared machine the numbers mean little without it).
 */
public record MachineInfo(String jdk, String cpuModel, String cpuFamily, String cpuModelNumber, boolean avx512f,
        int cores, double loadAverage) {

    /** This machine now, from the JVM and {@code /proc/cpuinfo} (fields it cannot read are "unknown"). */
    public static MachineInfo current() {
        List<String> cpuinfo;
        try {
            cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            cpuinfo = List.of();
        }
        return new MachineInfo(Runtime.version().toString(),
                field(cpuinfo, "model name"), field(cpuinfo, "cpu family"), field(cpuinfo, "model"),
                (" " + field(cpuinfo, "flags") + " ").contains(" avx512f "),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The value of the first {@code /proc/cpuinfo} line whose key is exactly {@code key}. */
    private static String field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }

    /** One line: "JDK …, CPU … (family 6 model 207, AVX-512), 2 cores, load average 3.1". */
    public String describe() {
        return String.format(Locale.ROOT, "JDK %s, CPU %s (family %s model %s, %s), %d cores, load average %.1f",
                jdk, cpuModel, cpuFamily, cpuModelNumber, avx512f ? "AVX-512" : "no AVX-512", cores,
                loadAverage);
    }
}

// Printed by EpochReport and PerformanceSuite; run them as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
