package io.parley.it.rails;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A brand-new Rails app made the way a developer makes one, with the Rails of the OS packages (Debian's 6.1) and
 * no gem server: {@code rails new --skip-bundle}, the gem added to its Gemfile by path, {@code bundle install
 * --local}. Commands run in the app's directory with a clean environment (no {@code PARLEY_*}, no {@code BUNDLE_*}
 * of the build) and fail the test, with their output, when they fail.
 */
final class RailsApp {

    /** Everything the app needs from the OS: Rails, SQLite, Puma, and the two gems `rails new` puts in a Gemfile. */
    static final String PREREQUISITES = "apt-get install ruby-rails ruby-sqlite3 puma ruby-byebug ruby-web-console";
    private static final long COMMAND_TIMEOUT_SECONDS = 300;

    private final Path dir;
    private final Path logs;

    private RailsApp(Path dir, Path logs) {
        this.dir = dir;
        this.logs = logs;
    }

    /**
     * {@code rails new} in {@code parent}/app (removed first), skipping only what needs a JavaScript toolchain or a
     * gem the OS does not package; then the gem, by path, and a local bundle.
     */
    static RailsApp create(Path parent, Path gem) {
        Path logs = parent.resolve("logs");
        deleteTree(parent);
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RailsApp app = new RailsApp(parent.resolve("app"), logs);
        app.run(parent, Map.of(), "ruby", "-e",
                "require 'rails'; require 'sqlite3'; require 'puma'; gem 'byebug'; gem 'web-console'");
        app.run(parent, Map.of(), "rails", "new", "app", "--skip-bundle", "--skip-git", "--skip-javascript", "--skip-webpack-install",
                "--skip-spring", "--skip-listen", "--skip-bootsnap", "--skip-jbuilder", "--skip-turbolinks", "--skip-test",
                "--skip-system-test", "--skip-sprockets", "--quiet");
        app.append("Gemfile", "\ngem \"parley-rails\", path: \"" + gem + "\"\n");
        app.run("bundle", "install", "--local");
        return app;
    }

    Path dir() {
        return dir;
    }

    Path log(String name) {
        return logs.resolve(name);
    }

    /** Runs a command in the app and returns its output; a non-zero exit fails the test with that output. */
    String run(String... command) {
        return run(dir, Map.of(), command);
    }

    /** The same, with these variables added to the clean environment. */
    String run(Map<String, String> env, String... command) {
        return run(dir, env, command);
    }

    private String run(Path workDir, Map<String, String> env, String... command) {
        Path out = logs.resolve("command-" + System.nanoTime() + ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
            cleanEnvironment(builder.environment());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean finished = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (!finished) {
                process.destroyForcibly();
            }
            assertTrue(finished, String.join(" ", command) + " did not finish:\n" + output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed (the app needs " + PREREQUISITES
                    + "):\n" + output);
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + " (needs " + PREREQUISITES + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command));
        }
    }

    /** The rows of a query on the app's development database, one tab-separated line per row. */
    List<String> rows(String sql) {
        // Read-only, and waiting out the app's write locks (as its own connections do) instead of failing on them.
        String output = run("ruby", "-rsqlite3", "-e", """
                db = SQLite3::Database.new(ARGV[0], readonly: true)
                db.busy_timeout = 10_000
                db.execute(ARGV[1]).each { |row| puts row.join("\\t") }""", "db/development.sqlite3", sql);
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    void write(String file, String text) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void append(String file, String text) {
        write(file, read(file) + text);
    }

    String read(String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of the app (but logs, temporary files and databases) with a digest of its content and mode. */
    Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(path).toString();
                if (name.startsWith("log/") || name.startsWith("tmp/") || name.endsWith(".sqlite3")) {
                    continue;
                }
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
                files.put(name, HexFormat.of().formatHex(digest) + (Files.isExecutable(path) ? " x" : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    /** The checkout this build runs in: failsafe runs in {@code integration/}, the gem and the service live beside it. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("integration/rails/parley-rails.gemspec"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find integration/rails from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment of the build minus what would change how Ruby, Bundler or the gem behave. */
    static void cleanEnvironment(Map<String, String> env) {
        new ArrayList<>(env.keySet()).stream()
                .filter(name -> name.startsWith("PARLEY_") || name.startsWith("BUNDLE_") || name.startsWith("RUBY")
                        || name.startsWith("GEM_") || name.equals("RAILS_ENV") || name.equals("DATABASE_URL"))
                .forEach(env::remove);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
