package io.parley.chat.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.parameters.Parameters;
import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.RoutedPath;

/**
 * A Helidon path matcher for a template such as {@code /api/v1/rooms/{room}/messages} that compares the path as
 * received, segment by segment, not Helidon's decoded path. That is the guarantee: a percent-encoded parameter
 * ({@code a%2Fb}, {@code %e0%a4}, an empty segment) still matches its route and reaches validation as one segment,
 * where a decoded {@code /} would have made it another path. The parameters it yields are the segments as sent,
 * still percent-encoded: decoding them is part of validation ({@link RequestBodies#segment}).
 */
final class RawPathTemplate implements PathMatcher {

    private final String template;
    private final List<String> segments;

    /** @param template an absolute path whose {@code {name}} segments are parameters */
    RawPathTemplate(String template) {
        this.template = template;
        this.segments = List.of(template.split("/", -1));
    }

    /** Whether a raw path (no query) has this template's shape. */
    boolean matches(String rawPath) {
        return parameters(rawPath).isPresent();
    }

    @Override
    public PathMatchers.MatchResult match(UriPath path) {
        return parameters(path.absolute().rawPath())
                .map(params -> new PathMatchers.MatchResult(true, new Routed(path,
                        Parameters.createSingleValueMap("raw-path-parameters", params))))
                .orElseGet(PathMatchers.MatchResult::notAccepted);
    }

    /** Not a prefix matcher: it names whole endpoints, so nothing is ever routed below it. */
    @Override
    public PathMatchers.PrefixMatchResult prefixMatch(UriPath path) {
        return PathMatchers.PrefixMatchResult.notAccepted();
    }

    @Override
    public Optional<String> matchingElement() {
        return Optional.of(template);
    }

    private Optional<Map<String, String>> parameters(String rawPath) {
        String[] raw = rawPath.split("/", -1);
        if (raw.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < raw.length; i++) {
            String expected = segments.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                params.put(expected.substring(1, expected.length() - 1), raw[i]);
            } else if (!expected.equals(raw[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** The matched path with its raw parameters. */
    private record Routed(UriPath matched, Parameters pathParameters) implements RoutedPath {

        @Override
        public String rawPath() {
            return matched.rawPath();
        }

        @Override
        public String rawPathNoParams() {
            return matched.rawPathNoParams();
        }

        @Override
        public String path() {
            return matched.path();
        }

        @Override
        public Parameters matrixParameters() {
            return matched.matrixParameters();
        }

        @Override
        public RoutedPath absolute() {
            return new Routed(matched.absolute(), pathParameters);
        }

        @Override
        public void validate() {
            matched.validate();
        }
    }
}
