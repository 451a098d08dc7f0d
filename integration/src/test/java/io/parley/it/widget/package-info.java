/**
 * The chat widget and the client SDK in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromedriver}) driven
 * by Selenium against an in-process Parley server and a stand-in host site.
 *
 * <p>{@link io.parley.it.widget.Browser} owns one browser with a fresh profile, {@link io.parley.it.widget.ChatWidget}
 * reads and drives the widget inside its Shadow DOM, {@link io.parley.it.widget.HostSite} plays the Rails site that
 * embeds the widget with one script tag and issues tokens from its session, and
 * {@link io.parley.it.widget.ChatServer} runs Parley on a fixed port so it can be restarted under the widget;
 * {@link io.parley.it.widget.TestBed} starts those two for a test class. The host site also has a page with a custom
 * UI on the client SDK ({@code ParleyClient}) instead of the widget, which {@link io.parley.it.widget.ClientSdkIT}
 * drives.
 * Waits poll for a state with a generous limit; nothing asserts how long anything took.
 */
package io.parley.it.widget;
