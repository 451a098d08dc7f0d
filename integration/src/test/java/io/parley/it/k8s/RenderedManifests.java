package io.parley.it.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects a kustomization renders to, as {@link Node}s, with the look-ups the checks need.
 *
 * <p>Rendering runs {@code kubectl kustomize <dir>} (or the command in the environment variable
 * {@value #COMMAND_VARIABLE}, e.g. {@code kustomize build}) and fails the calling test, never
 * skips it, when the command cannot run: a packaging check that silently does nothing is worse
 * than none.
 */
final class RenderedManifests {

    static final String COMMAND_VARIABLE = "PARLEY_KUSTOMIZE";
    private static final String DEFAULT_COMMAND = "kubectl kustomize";
    private static final long TIMEOUT_SECONDS = 120;

    /** An environment variable of a container: its literal (or ConfigMap) value, or a Secret key. */
    record EnvVar(String name, String value, String secretName, String secretKey) {
        boolean fromSecret() {
            return secretKey != null;
        }
    }

    private final String source;
    private final List<Node> objects;

    private RenderedManifests(String source, List<Node> objects) {
        this.source = source;
        this.objects = objects;
    }

    /** The repository root: the first directory, from the working directory up, that holds k8s/. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s/overlays"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no k8s/overlays above " + Path.of("").toAbsolutePath());
    }

    static RenderedManifests render(Path kustomizationDir) {
        List<String> command = new ArrayList<>(Arrays.asList(commandLine().split("\\s+")));
        command.add(kustomizationDir.toString());
        String label = repoRoot().relativize(kustomizationDir).toString();
        Process process;
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close(); // kustomize reads no input
        } catch (IOException e) {
            return fail("Cannot run '" + String.join(" ", command) + "' (" + e.getMessage() + "). "
                    + "The Kubernetes packaging test needs kubectl on the PATH to render " + label
                    + " (kubectl ships with the build image at /usr/bin/kubectl; see docs/operations.md, "
                    + "'Checking the manifests'), or " + COMMAND_VARIABLE
                    + " set to another kustomize command such as 'kustomize build'.");
        }
        CompletableFuture<String> stdout = readAsync(process.getInputStream()::readAllBytes);
        CompletableFuture<String> stderr = readAsync(process.getErrorStream()::readAllBytes);
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String output = stdout.join();
            int exit = process.exitValue();
            assertTrue(exit == 0, () -> label + " does not render (exit " + exit + "):\n" + stderr.join());
            return new RenderedManifests(label, parse(output));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while rendering " + label, e);
        }
    }

    private static String commandLine() {
        String configured = System.getenv(COMMAND_VARIABLE);
        return configured == null || configured.isBlank() ? DEFAULT_COMMAND : configured.trim();
    }

    private static CompletableFuture<String> readAsync(StreamReader reader) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(reader.read(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Reads a stream to its end; a tiny seam so both pipes are drained at the same time. */
    @FunctionalInterface
    private interface StreamReader {
        byte[] read() throws IOException;
    }

    /** Parses a multi-document YAML file or string into one node per non-empty document. */
    static List<Node> parse(String yaml) {
        List<Node> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                documents.add(Node.of(document));
            }
        }
        return documents;
    }

    static List<Node> parse(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was rendered, for messages: a path relative to the repository root. */
    String source() {
        return source;
    }

    Stream<Node> all() {
        return objects.stream();
    }

    Stream<Node> ofKind(String kind) {
        return objects.stream().filter(o -> o.at("kind").text().equals(kind));
    }

    boolean has(String kind, String name) {
        return ofKind(kind).anyMatch(o -> o.at("metadata", "name").text().equals(name));
    }

    Node one(String kind, String name) {
        return ofKind(kind)
                .filter(o -> o.at("metadata", "name").text().equals(name))
                .findFirst()
                .orElseGet(() -> fail(source + " renders no " + kind + " named " + name));
    }

    /**
     * A ConfigMap by the name a pod refers to. kustomize rewrites references to generated
     * ConfigMaps to their hashed names, so this is an exact match.
     */
    Node configMap(String name) {
        return one("ConfigMap", name);
    }

    /** Pod templates of every workload kind the packaging uses. */
    Stream<Node> podTemplates() {
        return Stream.of("Deployment", "StatefulSet", "DaemonSet", "Job")
                .flatMap(this::ofKind)
                .map(workload -> workload.at("spec", "template"));
    }

    static Node container(Node podTemplate, String name) {
        return podTemplate.at("spec", "containers").items()
                .filter(c -> c.at("name").text().equals(name))
                .findFirst()
                .orElseGet(() -> fail("no container named " + name + " in " + podTemplate.at("metadata")));
    }

    /**
     * The environment a container starts with: ConfigMaps from envFrom first, then env entries
     * (which win, as in Kubernetes).
     */
    Map<String, EnvVar> environment(Node container) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        container.at("envFrom").items().forEach(from -> {
            Node ref = from.at("configMapRef");
            if (!ref.isMissing()) {
                String prefix = from.at("prefix").text();
                configMap(ref.at("name").text()).at("data").stringMap()
                        .forEach((k, v) -> env.put(prefix + k, new EnvVar(prefix + k, v, null, null)));
            }
            assertTrue(from.at("secretRef").isMissing(),
                    () -> source + ": envFrom secretRef hides which keys a container needs; use secretKeyRef");
        });
        container.at("env").items().forEach(e -> {
            String name = e.at("name").text();
            Node secretRef = e.at("valueFrom", "secretKeyRef");
            env.put(name, secretRef.isMissing()
                    ? new EnvVar(name, e.at("value").text(), null, null)
                    : new EnvVar(name, null, secretRef.at("name").text(), secretRef.at("key").text()));
        });
        return env;
    }

    /** True when every label of the selector is on the labels (matchLabels semantics). */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }
}
