#!/usr/bin/python3
"""smtp_server.py — a real SMTP server for the mail tests and the
newsletter benchmark (Debian's python3-aiosmtpd).

    smtp_server.py --port N --dir DIR [--count-only] [--delay S]

Listens on 127.0.0.1:N (0: a free port) and prints "listening PORT" once it
takes connections. Each message it accepts is written to DIR as one file
(the envelope on the first lines, then the message as received), written
under a temporary name and renamed, so a reader never sees half a message.
Recipients whose local part starts with "reject" are refused with a 550
(a permanent failure), those starting with "busy" with a 451 (try again).
--count-only keeps no messages but counts them in DIR/count every second
(the benchmark). --delay waits S seconds before answering each DATA (so a
test can kill the server while messages are being sent).
"""
import argparse
import asyncio
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, directory, count_only, delay):
        self.dir = directory
        self.count_only = count_only
        self.delay = delay
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split('@')[0].lower()
        if local.startswith('reject'):
            return '550 5.1.1 <%s>: Recipient address rejected: no such user here' % address
        if local.startswith('busy'):
            return '451 4.3.0 <%s>: Mailbox busy, try again later' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.n += 1
        if not self.count_only:
            name = '%d-%06d' % (os.getpid(), self.n)
            tmp = os.path.join(self.dir, '.' + name)
            with open(tmp, 'wb') as f:
                f.write(('X-Envelope-From: %s\r\n' % envelope.mail_from).encode())
                f.write(('X-Envelope-To: %s\r\n' % ','.join(envelope.rcpt_tos)).encode())
                f.write(envelope.original_content)
            os.rename(tmp, os.path.join(self.dir, name + '.eml'))
        return '250 2.0.0 Message accepted for delivery'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--count-only', action='store_true')
    ap.add_argument('--delay', type=float, default=0)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    handler = Handler(a.dir, a.count_only, a.delay)
    port = a.port
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
        s.close()
    ctl = Controller(handler, hostname='127.0.0.1', port=port,
                     server_kwargs={'data_size_limit': 10 * 1024 * 1024})
    ctl.start()
    print('listening %d' % port, flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    while not stop:
        time.sleep(0.2)
        if a.count_only:
            with open(os.path.join(a.dir, '.count'), 'w') as f:
                f.write(str(handler.n))
            os.replace(os.path.join(a.dir, '.count'), os.path.join(a.dir, 'count'))
    ctl.stop()
    if a.count_only:
        with open(os.path.join(a.dir, 'count'), 'w') as f:
            f.write(str(handler.n))


if __name__ == '__main__':
    sys.exit(main())
