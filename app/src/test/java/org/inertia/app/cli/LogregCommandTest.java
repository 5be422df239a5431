package org.inertia.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogregCommandTest {
    @Test
    void everyOptimizerLearnsTheSyntheticClassesAndEveryFileIsWritten(@TempDir Path tmp) throws Exception {
        Path data = Cli.idxDataset(tmp.resolve("data"), 600, 200, true);
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run("logreg", "--data", data.toString(), "--epochs", "2", "--batch", "50",
                "--eval-every", "4", "--restart", "10", "--out", out.toString()).code());
        Cli.assertFiles(out, "logreg-train-loss.csv", "logreg-epoch-train-loss.csv", "logreg-epoch-test-accuracy.csv",
                "logreg-summary.csv", "logreg-train-loss.png", "logreg-train-loss.svg", "logreg-test-accuracy.png",
                "logreg-test-accuracy.svg", "logreg.html");
        List<String> acc = Files.readAllLines(out.resolve("logreg-epoch-test-accuracy.csv"));
        assertEquals("epoch,SGD,NAG,SRSGD,Adam", acc.get(0));
        String[] last = acc.get(2).split(",");
        for (int i = 1; i < last.length; i++) {
            assertTrue(Double.parseDouble(last[i]) > 0.8, "test accuracy after 2 epochs (chance 0.1): " + acc.get(2));
        }
        // the whole-training-set loss starts at about ln 10 and must fall for every method
        List<String> loss = Files.readAllLines(out.resolve("logreg-train-loss.csv"));
        for (String m : List.of("SGD", "NAG", "SRSGD", "Adam")) {
            double first = loss.stream().filter(l -> l.startsWith(m + ",")).mapToDouble(l -> Double.parseDouble(l.split(",")[2]))
                    .findFirst().orElseThrow();
            double end = loss.stream().filter(l -> l.startsWith(m + ",")).mapToDouble(l -> Double.parseDouble(l.split(",")[2]))
                    .reduce((a, b) -> b).orElseThrow();
            assertTrue(first > 2 && end < 0.75 * first, m + ": " + first + " -> " + end);
        }
        assertTrue(Files.readString(out.resolve("logreg.html")).contains("--data"), "the report shows the command");
    }

    @Test
    void rawIdxFilesAndASubsetWork(@TempDir Path tmp) throws Exception {
        Path data = Cli.idxDataset(tmp.resolve("data"), 300, 100, false);
        LogregCommand cmd = new LogregCommand();
        assertEquals(0, Cli.run(cmd, "--data", data.toString(), "--epochs", "1", "--train-size", "120", "--test-size", "40",
                "--optimizers", "sgd,adam", "--out", tmp.resolve("out").toString()));
        List<String> summary = Files.readAllLines(tmp.resolve("out").resolve("logreg-summary.csv"));
        assertEquals(3, summary.size(), "header and the two chosen optimizers: " + summary);
        assertTrue(summary.get(1).startsWith("SGD,") && summary.get(2).startsWith("Adam,"));
    }
    @Test
    void methodsSelectsTheNewMethodsAndTheyTrain(@TempDir Path tmp) throws Exception {
        Path data = Cli.idxDataset(tmp.resolve("data"), 300, 100, false);
        LogregCommand cmd = new LogregCommand();
        assertEquals(0, Cli.run(cmd, "--data", data.toString(), "--epochs", "2", "--train-size", "200", "--test-size", "50",
                "--batch", "20", "--eval-every", "4", "--methods", "nadam,sf-adamw,qhm", "--lr", "0.05", "--out",
                tmp.resolve("out").toString()));
        List<String> summary = Files.readAllLines(tmp.resolve("out").resolve("logreg-summary.csv"));
        assertEquals(4, summary.size(), "header and the three chosen methods: " + summary);
        assertTrue(summary.get(1).startsWith("NAdam,") && summary.get(2).startsWith("SF-AdamW,")
                && summary.get(3).startsWith("QHM,"), summary.toString());
        List<String> loss = Files.readAllLines(tmp.resolve("out").resolve("logreg-train-loss.csv"));
        for (String m : List.of("NAdam", "SF-AdamW", "QHM")) {
            double first = loss.stream().filter(l -> l.startsWith(m + ",")).mapToDouble(l -> Double.parseDouble(l.split(",")[2]))
                    .findFirst().orElseThrow();
            double end = loss.stream().filter(l -> l.startsWith(m + ",")).mapToDouble(l -> Double.parseDouble(l.split(",")[2]))
                    .reduce((a, b) -> b).orElseThrow();
            assertTrue(end < first, m + ": " + first + " -> " + end);
        }
    }
}
