package io.parley.chat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The configured Jackson mapper: absent values are omitted, unknown properties tolerated, depth bounded.
 *
 * <p>Its buffers come from one shared pool. Jackson's default keeps a set of buffers per thread, and here every
 * socket reads on its own virtual thread, so the default held about 19 KB of {@code char[]} per idle connection
 * (measured: docs/performance.md).
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder(pooledFactory())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * A JSON factory on the shared buffer pool, for the few mappers that need other settings (token parsing):
     * anything that parses on a socket's thread must use one, or it keeps its own buffers per socket.
     */
    public static JsonFactory pooledFactory() {
        return JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedLockFreePool())
                // Frames are small; a deeply nested payload is abuse, not chat.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
                .build();
    }

    private Json() {
    }
}
