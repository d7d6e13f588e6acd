package dev.jcasync.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A section 1 man page (troff, man macros) rendered from a command's picocli model, so pages never
 * drift from {@code --help}. Written directly rather than with picocli-codegen, whose generator
 * emits AsciiDoc that still needs asciidoctor to become a man page.
 */
final class ManPage {
    private ManPage() {}

    /** The page's file name: {@code jcasync.1}, {@code jcasync-make.1}. */
    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".1";
    }

    static String render(CommandSpec spec) {
        StringBuilder page = new StringBuilder();
        String name = spec.qualifiedName("-");
        String version = String.join(" ", spec.root().version());
        page.append(".TH \"")
                .append(escape(name.toUpperCase(java.util.Locale.ROOT)))
                .append("\" 1 \"\" \"")
                .append(escape(version))
                .append("\" \"jcasync manual\"\n");
        page.append(".SH NAME\n")
                .append(escape(name))
                .append(" \\- ")
                .append(escape(firstLine(spec)))
                .append('\n');
        page.append(".SH SYNOPSIS\n.nf\n")
                .append(escape(new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF))
                        .synopsis(0)
                        .stripTrailing()))
                .append("\n.fi\n");
        page.append(".SH DESCRIPTION\n").append(paragraph(spec.usageMessage().description()));
        if (spec.aliases().length > 0) {
            page.append(".PP\nAlso available as: ")
                    .append(escape(String.join(", ", spec.aliases())))
                    .append(".\n");
        }
        appendCommands(page, spec);
        appendArguments(page, spec.positionalParameters());
        appendOptions(page, spec.options());
        page.append(".SH EXIT STATUS\n")
                .append(".TP\n0\nSuccess.\n")
                .append(".TP\n1\nFailure: one line on standard error names the file, chunk, store or offset.\n")
                .append(".TP\n2\nBad usage.\n");
        page.append(".SH SEE ALSO\n");
        page.append(spec.parent() == null ? "casync(1), desync(1)\n" : "jcasync(1), casync(1)\n");
        return page.toString();
    }

    private static void appendCommands(StringBuilder page, CommandSpec spec) {
        Map<String, CommandLine> subcommands = spec.subcommands();
        if (subcommands.isEmpty()) {
            return;
        }
        page.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (!sub.name().equals(e.getKey()) || sub.usageMessage().hidden()) {
                continue; // an alias: listed with its command
            }
            page.append(".TP\n\\fB")
                    .append(escape(sub.name()))
                    .append("\\fR\n")
                    .append(escape(firstLine(sub)))
                    .append(" See \\fB")
                    .append(escape(sub.qualifiedName("-")))
                    .append("\\fR(1).\n");
        }
    }

    private static void appendArguments(StringBuilder page, List<PositionalParamSpec> params) {
        if (params.isEmpty()) {
            return;
        }
        page.append(".SH ARGUMENTS\n");
        for (PositionalParamSpec p : params) {
            page.append(".TP\n\\fI")
                    .append(escape(p.paramLabel()))
                    .append("\\fR\n")
                    .append(paragraphText(p.description()))
                    .append('\n');
        }
    }

    private static void appendOptions(StringBuilder page, List<OptionSpec> options) {
        page.append(".SH OPTIONS\n");
        for (OptionSpec o : options) {
            if (o.hidden()) {
                continue;
            }
            page.append(".TP\n");
            String[] names = o.names();
            for (int i = 0; i < names.length; i++) {
                page.append(i == 0 ? "" : ", ")
                        .append("\\fB")
                        .append(escape(names[i]))
                        .append("\\fR");
            }
            if (o.typeInfo().isBoolean()) {
                page.append('\n');
            } else {
                page.append("=\\fI").append(escape(o.paramLabel())).append("\\fR\n");
            }
            page.append(paragraphText(o.description())).append('\n');
        }
    }

    private static String firstLine(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        return description.length == 0 ? "" : description[0];
    }

    /** Help lines are wrapped sentences: one troff paragraph. */
    private static String paragraph(String[] lines) {
        return lines.length == 0 ? "" : paragraphText(lines) + "\n";
    }

    private static String paragraphText(String[] lines) {
        return escape(String.join(" ", lines).strip());
    }

    /** Escapes troff's specials: backslash, hyphen (else typeset as a dash), and a leading dot or quote. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.replace("\\", "\\e").replace("-", "\\-").split("\n", -1)) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                sb.append("\\&");
            }
            sb.append(line);
        }
        return sb.toString();
    }
}
