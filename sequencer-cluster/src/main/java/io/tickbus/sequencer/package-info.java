/**
 * The sequencer cluster: {@link io.tickbus.sequencer.SequencerService} (the Aeron Cluster service that stamps a
 * global sequence and the cluster time on every feed message, exactly once per (feed id, source seq)),
 * {@link io.tickbus.sequencer.SequencerNode} (one member: driver, archive, consensus module, service container),
 * {@link io.tickbus.sequencer.SequencerMain} (a member as a process) and ingress authentication
 * ({@link io.tickbus.sequencer.FeedAuthenticator}, {@link io.tickbus.sequencer.FeedCredentials}).
 * See docs/sequencer.md.
 */
package io.tickbus.sequencer;
