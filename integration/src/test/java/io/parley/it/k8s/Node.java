package io.parley.it.k8s;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A read-only view of one value in a parsed YAML document (map, list or scalar) that navigates
 * without null checks: a missing key gives a missing node, so a check reads as a path.
 */
final class Node {

    private static final Node MISSING = new Node(null);

    private final Object value;

    private Node(Object value) {
        this.value = value;
    }

    static Node of(Object value) {
        return value == null ? MISSING : new Node(value);
    }

    /** The value at a path of map keys, e.g. {@code at("spec", "template", "spec")}. */
    Node at(String... keys) {
        Node node = this;
        for (String key : keys) {
            node = node.value instanceof Map<?, ?> map ? of(map.get(key)) : MISSING;
        }
        return node;
    }

    boolean isMissing() {
        return value == null;
    }

    /** The elements of a list; empty when this is not a list. */
    Stream<Node> items() {
        return value instanceof List<?> list ? list.stream().map(Node::of) : Stream.empty();
    }

    /** The entries of a map as (key, node); empty when this is not a map. */
    Stream<Map.Entry<String, Node>> entries() {
        return value instanceof Map<?, ?> map
                ? map.entrySet().stream().map(e -> Map.entry(String.valueOf(e.getKey()), of(e.getValue())))
                : Stream.empty();
    }

    /** The map's keys and scalar values as strings; empty when this is not a map. */
    Map<String, String> stringMap() {
        return entries()
                .filter(e -> !e.getValue().isMissing())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text()));
    }

    /** A scalar as text (YAML numbers and booleans included); {@code ""} when missing. */
    String text() {
        return value == null ? "" : String.valueOf(value);
    }

    Optional<String> optionalText() {
        return value == null ? Optional.empty() : Optional.of(text());
    }

    boolean isTrue() {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    boolean isNumber() {
        return value instanceof Number;
    }

    int asInt() {
        if (value instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalStateException("not a number: " + value);
    }

    boolean isEmpty() {
        return value == null
                || (value instanceof Map<?, ?> map && map.isEmpty())
                || (value instanceof List<?> list && list.isEmpty())
                || (value instanceof String s && s.isEmpty());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Node node && Objects.equals(value, node.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
