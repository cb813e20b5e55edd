package org.lodge.billing.mail;

/** A billing e-mail ready to send: text and HTML alternatives, and the invoice's PDF when it has one. */
record Letter(String to, String subject, String text, String html, String attachmentName, byte[] attachment) {
}
