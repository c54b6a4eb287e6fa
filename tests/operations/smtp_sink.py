"""A tiny SMTP server for tests: records every accepted message; can pause before each recipient."""

import socketserver
import threading
from email import message_from_bytes


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, pause: float = 0.0):
        super().__init__(("127.0.0.1", 0), Handler)
        self.pause = pause
        self.messages = []
        self.waiting = threading.Event()  # set while a client is held before its recipient
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def handle_error(self, request, client_address) -> None:
        """A client killed mid-conversation (the kill tests do it on purpose) is not an error here."""

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: Sink = self.server
        self.reply("220 sink")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "RCPT":
                if server.pause:
                    server.waiting.set()
                    threading.Event().wait(server.pause)
                    server.waiting.clear()
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                if chunk == b"":
                    return  # the client died mid-message: nothing accepted
                with server.lock:
                    server.messages.append(message_from_bytes(data))
                self.reply("250 accepted")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")
