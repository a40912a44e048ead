// kwdb-connect's replacement for kafkajs 2.2.4 src/consumer/filterAbortedMessages.js
// (copied over it by tools/scripts/patch-kafkajs.mjs at `npm ci`; docs/adr/0011-source-claim-fencing.md).
//
// The original only looks at the first entry of the fetch response's aborted-transaction list and
// takes at most one entry per message, assuming the list is sorted by first offset. The broker
// lists aborted transactions in the order their abort markers were written, so when two producers'
// transactions interleave in a partition (one aborted after the other began) records of an aborted
// transaction were handed to read_committed consumers. This version does what the Java consumer
// does (Fetcher/CompletedFetch: a queue ordered by first offset, every transaction that has begun
// at or before the record is entered, an abort marker ends its producer's transaction).
const Long = require('../utils/long');
const ABORTED_MESSAGE_KEY = Buffer.from([0, 0, 0, 0]);

const isAbortMarker = ({ key, isControlRecord }) => {
  if (!key || isControlRecord === false) return false;
  return Buffer.from(key).equals(ABORTED_MESSAGE_KEY);
};

/**
 * Remove messages of aborted transactions.
 * @param {{ messages: Array<{ offset: string, key: Buffer, isControlRecord?: boolean, batchContext: { producerId: string, inTransaction: boolean } }>, abortedTransactions?: Array<{ firstOffset: string, producerId: string }> }} options
 */
const filterAbortedMessages = ({ messages, abortedTransactions }) => {
  if (!abortedTransactions || !abortedTransactions.length) {
    return messages;
  }

  const remaining = [...abortedTransactions].sort((a, b) =>
    Long.fromValue(a.firstOffset).compare(Long.fromValue(b.firstOffset)),
  );
  const aborted = new Set();

  return messages.filter((message) => {
    const offset = Long.fromValue(message.offset);
    while (remaining.length && offset.gte(Long.fromValue(remaining[0].firstOffset))) {
      aborted.add(String(remaining.shift().producerId));
    }

    const { producerId, inTransaction } = message.batchContext;
    if (isAbortMarker(message)) {
      aborted.delete(String(producerId));
      return true;
    }
    return !(inTransaction && aborted.has(String(producerId)));
  });
};

// Marks this file as kwdb-connect's version (checked by libs/runtime's kafkajs patch test).
module.exports = Object.assign(filterAbortedMessages, { KWDB_CONNECT_PATCHED: true });
