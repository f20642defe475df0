package io.tickbus.sequencer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ClusterMembersAndCredentialsTest
{
    @Test
    void shortFormExpandsToFivePortsPerMember()
    {
        assertEquals(
            "0,127.0.0.1:43000,127.0.0.1:43001,127.0.0.1:43002,127.0.0.1:43003,127.0.0.1:43004|" +
            "1,10.0.0.2:9000,10.0.0.2:9001,10.0.0.2:9002,10.0.0.2:9003,10.0.0.2:9004",
            ClusterMembers.toAeron("127.0.0.1:43000, 10.0.0.2:9000"));
        assertEquals("0=127.0.0.1:43000,1=10.0.0.2:9000",
            ClusterMembers.ingressEndpoints("127.0.0.1:43000,10.0.0.2:9000"));
        assertEquals("10.0.0.2", ClusterMembers.host("127.0.0.1:43000,10.0.0.2:9000", 1));
        final String aeron = "0,h:1,h:2,h:3,h:4,h:5";
        assertEquals(aeron, ClusterMembers.toAeron(aeron));
    }

    @Test
    void badMembersAreUsageErrors()
    {
        assertThrows(IllegalArgumentException.class, () -> ClusterMembers.toAeron(""));
        assertThrows(IllegalArgumentException.class, () -> ClusterMembers.toAeron("host"));
        assertThrows(IllegalArgumentException.class, () -> ClusterMembers.toAeron("host:abc"));
        assertThrows(IllegalArgumentException.class, () -> ClusterMembers.toAeron("host:65534"));
        assertThrows(IllegalArgumentException.class, () -> ClusterMembers.host("127.0.0.1:43000", 1));
    }

    @Test
    void credentialsAcceptOnlyTheRightSecretForTheFeed()
    {
        final FeedCredentials credentials = FeedCredentials.parse("1=alpha,2=bravo");
        assertEquals(1, credentials.authenticate("1:alpha".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, credentials.authenticate("2:bravo".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, credentials.authenticate("1:bravo".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, credentials.authenticate("3:alpha".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, credentials.authenticate("alpha".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, credentials.authenticate(new byte[0]));
        assertTrue(!credentials.toString().contains("alpha"), "secrets never printed");
        assertThrows(IllegalArgumentException.class, () -> FeedCredentials.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> FeedCredentials.of(Map.of(70000, "x")));
        assertThrows(IllegalArgumentException.class, () -> FeedCredentials.of(Map.of(1, " ")));
    }
}
