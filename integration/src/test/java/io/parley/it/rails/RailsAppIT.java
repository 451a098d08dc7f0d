package io.parley.it.rails;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.parley.chat.testing.Eventually;
import io.parley.it.widget.Browser;
import io.parley.it.widget.ChatWidget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parley-rails gem as a new user meets it: a brand-new Rails app (Debian's Rails 6.1, SQLite, Puma) gets the gem
 * and {@code rails generate parley:install}, runs its migrations, and starts {@code bin/rails server} and the
 * generated {@code bin/parley} (the two lines of the generated Procfile.dev) with nothing but the app's own settings.
 * Two people then chat in headless Chromium on the generated page, and the app's database fills through the signed
 * history and events endpoints; {@code Parley.publish} from {@code rails runner} reaches the page and the database.
 * A missing package fails the test: it never skips.
 */
class RailsAppIT {

    private static final String ROOM = "lobby";

    @Test
    void aNewRailsAppChatsThroughTheGeneratedIntegration() {
        Browser.requireInstalled();
        Path repo = RailsApp.repoRoot();
        Path jar = repo.resolve("chat-service/target/parley-chat.jar");
        assertTrue(Files.isRegularFile(jar), "needs the built service at " + jar + " (mvn -pl integration -am verify builds it)");

        RailsApp app = RailsApp.create(Path.of("target", "rails-app").toAbsolutePath(), repo.resolve("integration/rails"));
        String firstRun = app.run("bin/rails", "generate", "parley:install");
        assertTrue(firstRun.contains("bin/rails db:migrate"), "the generator prints its checklist:\n" + firstRun);
        Map<String, String> generated = app.snapshot();
        app.run("bin/rails", "generate", "parley:install");
        assertEquals(generated, app.snapshot(), "a second run of the generator changes nothing");
        assertTrue(app.read("Procfile.dev").contains("chat: bin/parley"), app.read("Procfile.dev"));

        addSignIn(app);
        app.run("bin/rails", "db:migrate");

        int railsPort = RailsApp.freePort();
        String site = "http://127.0.0.1:" + railsPort;
        Map<String, String> env = Map.of(
                "RAILS_PORT", String.valueOf(railsPort),
                "PARLEY_CHAT_URL", "http://127.0.0.1:" + RailsApp.freePort(),
                "PARLEY_ADMIN_URL", "http://127.0.0.1:" + RailsApp.freePort(),
                "PARLEY_JAR", jar.toString(),
                "JAVA_HOME", System.getProperty("java.home"),
                "PARLEY_DRAIN_PERIOD", "1s");
        try (AppProcess rails = AppProcess.start("rails server", app.dir(), env, app.log("rails-server.log"),
                     List.of("bin/rails", "server", "-b", "127.0.0.1", "-p", String.valueOf(railsPort)));
             AppProcess parley = AppProcess.start("bin/parley", app.dir(), env, app.log("parley.log"), List.of("bin/parley"));
             Browser adaBrowser = Browser.start();
             Browser bobBrowser = Browser.start()) {
            rails.awaitReady(site + "/chat");
            parley.awaitReady(env.get("PARLEY_ADMIN_URL") + "/observe/health/ready");

            ChatWidget ada = signIn(adaBrowser, site, "Ada");
            ChatWidget bob = signIn(bobBrowser, site, "Bob");
            awaitRows(app, "both are online in the app's database",
                    "SELECT user_name FROM chat_presences WHERE room = '" + ROOM + "' AND online = 1 ORDER BY user_name",
                    List.of("Ada", "Bob"), rails);

            String hello = "Hello Bob " + UUID.randomUUID();
            ada.send(hello);
            bob.awaitMessage(hello);
            awaitRows(app, "Ada's message stored through the signed history endpoint",
                    "SELECT user_name, kind, room FROM chat_messages WHERE body = '" + hello + "'",
                    List.of("Ada\tuser\t" + ROOM), rails);
            assertTrue(rails.logText().contains("Processing by Chat::MessagesController#create"), rails.logTail());
            assertTrue(rails.logText().contains("\"text\"=>\"[FILTERED]\""),
                    "chat text stays out of the request log lines (Parameters: ...):\n" + rails.logTail());

            String notice = "Deploy finished " + UUID.randomUUID();
            String published = app.run(env, "bin/rails", "runner", "puts Parley.publish('" + ROOM + "', '" + notice + "')['id']");
            assertTrue(published.strip().matches("(?s).*\\S+"), "Parley.publish answered an id:\n" + published);
            ada.awaitMessage(notice);
            bob.awaitMessage(notice);
            awaitRows(app, "the published message stored as a system message",
                    "SELECT kind, user_id IS NULL FROM chat_messages WHERE body = '" + notice + "'",
                    List.of("system\t1"), rails);

            bobBrowser.close();
            awaitRows(app, "Bob offline once his browser is gone",
                    "SELECT user_name, online FROM chat_presences WHERE room = '" + ROOM + "' ORDER BY user_name",
                    List.of("Ada\t1", "Bob\t0"), rails);
        }
    }

    /** The app's own sign-in, as any app has one (Devise, or its own): a User and current_user from the session. */
    private static void addSignIn(RailsApp app) {
        app.run("bin/rails", "generate", "model", "User", "name:string");
        app.write("app/controllers/application_controller.rb", """
                class ApplicationController < ActionController::Base
                  private

                  def current_user
                    @current_user ||= User.find_by(id: session[:user_id])
                  end
                end
                """);
        app.write("app/controllers/sessions_controller.rb", """
                # Sign-in for the test: /login?name=Ada, then the chat page.
                class SessionsController < ApplicationController
                  def create
                    session[:user_id] = User.find_or_create_by!(name: params.require(:name)).id
                    redirect_to chat_path
                  end
                end
                """);
        String routes = app.read("config/routes.rb");
        app.write("config/routes.rb", routes.replaceFirst("routes\\.draw do\n",
                "routes.draw do\n  get \"login\", to: \"sessions#create\"\n"));
    }

    /** Signs in and opens the chat on the generated page, the way a person would. */
    private static ChatWidget signIn(Browser browser, String site, String name) {
        ChatWidget widget = browser.open(site + "/login?name=" + name);
        widget.openPanel();
        return widget.awaitOnline();
    }

    private static void awaitRows(RailsApp app, String what, String sql, List<String> expected, AppProcess rails) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        Eventually.until(what, () -> {
            last.set(app.rows(sql));
            return last.get().equals(expected);
        }, () -> "rows " + last.get() + ", expected " + expected + "\n" + rails.logTail(), Eventually.DEFAULT);
    }
}
