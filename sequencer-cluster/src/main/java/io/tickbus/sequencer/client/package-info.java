/**
 * What feed handlers and subscribers link to use the sequencer: {@link io.tickbus.sequencer.client.SequencerClient}
 * (a {@link io.tickbus.client.MessageSink} over cluster ingress that resends unacknowledged messages after a leader
 * change) and the egress / credentials formats
 * ({@link io.tickbus.sequencer.client.SequencerProtocol}).
 */
package io.tickbus.sequencer.client;
