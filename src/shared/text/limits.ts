/**
 * The longest text a demand (a chat message, an Open311 description) or a note on an order (progress, reason,
 * reply) may have, counted in UTF-16 code units as a browser's maxlength counts them. 2,000 characters is about
 * four screens of a phone's chat window, several times the longest demand in our labelled samples (under 300),
 * and keeps every text rule (classification, duplicates, the bigram search key) well under a millisecond's
 * work per message. Longer texts are refused with a message that says the limit; the chat message itself stays
 * stored as received, so nothing a resident sent is lost.
 */
export const MAX_DEMAND_TEXT = 2000;
