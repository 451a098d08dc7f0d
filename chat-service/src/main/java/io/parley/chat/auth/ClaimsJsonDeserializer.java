package io.parley.chat.auth;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jsonwebtoken.io.AbstractDeserializer;
import io.parley.chat.protocol.Json;

import java.io.Reader;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON reader jjwt uses for token headers and claims, so that a numeric {@code sub} (which the
 * protocol accepts: monoliths often put the integer user id there) arrives as its decimal string.
 * jjwt itself refuses a non-string {@code sub} while parsing, before our claim checks could run.
 *
 * <p>Duplicate member names are refused: two different {@code sub} values in one token must not be read
 * one way here and another way by whoever issued it.
 */
final class ClaimsJsonDeserializer extends AbstractDeserializer<Map<String, ?>> {

    private static final ObjectMapper JSON = JsonMapper.builder(Json.pooledFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    @Override
    protected Map<String, ?> doDeserialize(Reader reader) throws Exception {
        LinkedHashMap<String, Object> members = JSON.readValue(reader, MAP);
        if (members.get("sub") instanceof Number number && isIntegral(number)) {
            members.put("sub", number.toString());
        }
        return members;
    }

    /** Only integers have one obvious decimal form; 4.2e1 or 42.0 are refused as a {@code sub}. */
    private static boolean isIntegral(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof BigInteger;
    }
}
