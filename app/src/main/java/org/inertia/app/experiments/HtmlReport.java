package org.inertia.app.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One HTML page: settings, results tables, and plots — embedded as PNG data (a report that stands alone)
 * or referenced by relative path (a page that gathers other reports' plots) — each with links to its SVG
 * and to the CSV files of its data.
 */
public final class HtmlReport {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlReport(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    /** A paragraph of text. */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A line of code (e.g. the command that produced the report) under a label. */
    public HtmlReport code(String label, String text) {
        if (!text.isEmpty()) {
            body.append("<p>").append(escape(label)).append(": <code>").append(escape(text)).append("</code></p>\n");
        }
        return this;
    }

    /** A link (e.g. to another report beside this one). */
    public HtmlReport link(String text, String href) {
        body.append("<p><a href=\"").append(escape(href)).append("\">").append(escape(text)).append("</a></p>\n");
        return this;
    }

    /** The run's settings as a two-column table. */
    public HtmlReport settings(Map<String, String> settings) {
        body.append("<h2>Settings</h2>\n<table>\n");
        settings.forEach((k, v) -> body.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                .append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    /** A results table with a header row. */
    public HtmlReport table(String heading, List<String> header, List<List<String>> rows) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n<table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            r.forEach(c -> body.append(numeric(c) ? "<td class=\"num\">" : "<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * Embeds a PNG file, with a caption and links to the plot's SVG (the file beside the PNG, same name)
     * and to the CSV files holding its data ({@code csv}: names of files in the report's directory).
     */
    public HtmlReport image(String caption, Path png, String... csv) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        return figure(caption, "data:image/png;base64," + data, svgBeside(png.getFileName().toString()), csv);
    }

    /**
     * Shows the image at {@code src}, a path relative to the report (not embedded, so a page that gathers
     * other reports' plots stays small), with links to its SVG and CSV files (also relative paths).
     */
    public HtmlReport imageLink(String caption, String src, String... csv) {
        return figure(caption, src, svgBeside(src), csv);
    }

    private HtmlReport figure(String caption, String src, String svg, String... csv) {
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"").append(escape(src))
                .append("\"><figcaption>").append(escape(caption)).append("<br>Files: <a href=\"").append(escape(svg))
                .append("\">plot as SVG</a>");
        for (String c : csv) {
            body.append(", <a href=\"").append(escape(c)).append("\">").append(escape(c.substring(c.lastIndexOf('/') + 1)))
                    .append("</a>");
        }
        body.append("</figcaption></figure>\n");
        return this;
    }

    /** A cell that reads as a number (with a unit of up to two words, or "< 1e-14"): right-aligned; text is left-aligned. */
    private static boolean numeric(String cell) {
        return cell.matches("[<(]?\\s?[-+]?[0-9][0-9.,eE+-]*( [^ ]+){0,2}\\)?");
    }

    private static String svgBeside(String png) {
        return png.endsWith(".png") ? png.substring(0, png.length() - 4) + ".svg" : png + ".svg";
    }

    /** Writes the page atomically (temporary file, then rename). */
    public void write(Path file) throws IOException {
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}"
                + "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:left}"
                + "th{background:#f2f2f2}td.num{text-align:right}img{max-width:100%}"
                + "figure{margin:1.5em 0}figcaption{color:#333;font-size:0.95em}</style>"
                + "</head><body>\n" + body + "</body></html>\n";
        Path tmp = TempFiles.register(file.resolveSibling(file.getFileName() + ".tmp"));
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            TempFiles.release(tmp);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
