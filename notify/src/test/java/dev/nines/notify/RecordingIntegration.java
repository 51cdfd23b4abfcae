package dev.nines.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** A fake integration that records what it is sent and answers from a script of results. */
final class RecordingIntegration implements Integration {
  final List<Notification> sent = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<SendResult> script = new LinkedBlockingQueue<>();
  private final boolean sendResolved;

  RecordingIntegration(boolean sendResolved) {
    this.sendResolved = sendResolved;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public int index() {
    return 0;
  }

  @Override
  public boolean sendResolved() {
    return sendResolved;
  }

  @Override
  public SendResult send(Notification notification) {
    SendResult r = script.poll();
    if (r == null || r.ok()) {
      sent.add(notification);
      return SendResult.success();
    }
    return r;
  }

  /** Alert names and status of each delivered notification, e.g. "firing:A,B". */
  List<String> summary() {
    return sent.stream()
        .map(
            n ->
                n.status()
                    + ":"
                    + String.join(",", n.alerts().stream().map(a -> a.label("alertname")).toList()))
        .toList();
  }
}
