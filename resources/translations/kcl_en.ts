<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>kcl::ui::ClusterBar</name>
        <message>
            <source>Cluster</source>
            <translation>Cluster</translation>
        </message>
        <message>
            <source>Brokers</source>
            <translation>Brokers</translation>
        </message>
        <message>
            <source>Produced</source>
            <translation>Produced</translation>
        </message>
        <message>
            <source>Consumed (notification-service)</source>
            <translation>Consumed (notification-service)</translation>
        </message>
        <message>
            <source>Notifications</source>
            <translation>Notifications</translation>
        </message>
        <message>
            <source>Notification latency p50 / p99</source>
            <translation>Notification latency p50 / p99</translation>
        </message>
        <message>
            <source>starting…</source>
            <translation>starting…</translation>
        </message>
        <message>
            <source>running</source>
            <translation>running</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>stopped</translation>
        </message>
        <message>
            <source>embedded</source>
            <translation>embedded</translation>
        </message>
        <message>
            <source>%1 up</source>
            <translation>%1 up</translation>
        </message>
        <message>
            <source>%1 down</source>
            <translation>%1 down</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message numerus="yes">
            <source>%n member(s)</source>
            <translation>
                <numerusform>%n member</numerusform>
                <numerusform>%n members</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 / %2 ms</source>
            <translation>%1 / %2 ms</translation>
        </message>
        <message>
            <source>local lab stack</source>
            <translation>local lab stack</translation>
        </message>
        <message>
            <source>could not run the script: %1</source>
            <translation>could not run the script: %1</translation>
        </message>
        <message>
            <source>labstack.sh was not found</source>
            <translation>labstack.sh was not found</translation>
        </message>
        <message>
            <source>the script ended with exit code %1 and no message</source>
            <translation>the script ended with exit code %1 and no message</translation>
        </message>
        <message>
            <source>the stack did not start: %1</source>
            <translation>the stack did not start: %1</translation>
        </message>
        <message>
            <source>the stack did not stop: %1</source>
            <translation>the stack did not stop: %1</translation>
        </message>
        <message>
            <source>Stop embedded cluster</source>
            <translation>Stop embedded cluster</translation>
        </message>
        <message>
            <source>Start embedded cluster</source>
            <translation>Start embedded cluster</translation>
        </message>
        <message>
            <source>Starting local stack… %1 s</source>
            <translation>Starting local stack… %1 s</translation>
        </message>
        <message>
            <source>Stopping local stack… %1 s</source>
            <translation>Stopping local stack… %1 s</translation>
        </message>
        <message>
            <source>Stop local stack</source>
            <translation>Stop local stack</translation>
        </message>
        <message>
            <source>Start local stack</source>
            <translation>Start local stack</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ConnectionDialog</name>
        <message>
            <source>CA certificate</source>
            <translation>CA certificate</translation>
        </message>
        <message>
            <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not an http:// or https:// address (for example http://127.0.0.1:9200).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' is not an http:// or https:// address (for example http://127.0.0.1:9200).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; is empty: give at least one broker as HOST:PORT (for example 127.0.0.1:9092).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; is empty: give at least one broker as HOST:PORT (for example 127.0.0.1:9092).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not HOST:PORT (for example 127.0.0.1:9092).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' is not HOST:PORT (for example 127.0.0.1:9092).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' has no valid port (1 to 65535).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' has no valid port (1 to 65535).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' has no host name.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' has no host name.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: the embedded cluster speaks plain text only; security settings need a local or external cluster.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: the embedded cluster speaks plain text only; security settings need a local or external cluster.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' is not PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' is not PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; is required: the security protocol %2 logs in with SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; is required: the security protocol %2 logs in with SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: a SASL mechanism needs the security protocol SASL_PLAINTEXT or SASL_SSL, not %2.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: a SASL mechanism needs the security protocol SASL_PLAINTEXT or SASL_SSL, not %2.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: a user name and a password need a SASL mechanism.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: a user name and a password need a SASL mechanism.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: a CA file needs the security protocol SSL or SASL_SSL, not %2.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: a CA file needs the security protocol SSL or SASL_SSL, not %2.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: cannot read the file '%2'.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: cannot read the file '%2'.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; is required: SASL %2 logs in with a user name and a password.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; is required: SASL %2 logs in with a user name and a password.</translation>
        </message>
        <message>
            <source>The embedded cluster runs inside the app: there is nothing to test.</source>
            <translation>The embedded cluster runs inside the app: there is nothing to test.</translation>
        </message>
        <message numerus="yes">
            <source>Connected to %1: %n broker(s) answered.</source>
            <translation>
                <numerusform>Connected to %1: %n broker answered.</numerusform>
                <numerusform>Connected to %1: %n brokers answered.</numerusform>
            </translation>
        </message>
        <message>
            <source>The controller is broker %1.</source>
            <translation>The controller is broker %1.</translation>
        </message>
        <message>
            <source>The cluster names no controller.</source>
            <translation>The cluster names no controller.</translation>
        </message>
        <message>
            <source>Cannot reach %1 (%2).</source>
            <translation>Cannot reach %1 (%2).</translation>
        </message>
        <message>
            <source>Check that the cluster is running and that the host names and ports are right. For the local lab stack, start it with the button in the cluster bar.</source>
            <translation>Check that the cluster is running and that the host names and ports are right. For the local lab stack, start it with the button in the cluster bar.</translation>
        </message>
        <message>
            <source>The cluster at %1 refused the login (%2).</source>
            <translation>The cluster at %1 refused the login (%2).</translation>
        </message>
        <message>
            <source>Check the SASL mechanism, the user name and the password.</source>
            <translation>Check the SASL mechanism, the user name and the password.</translation>
        </message>
        <message>
            <source>The TLS connection to %1 failed (%2).</source>
            <translation>The TLS connection to %1 failed (%2).</translation>
        </message>
        <message>
            <source>Check the CA file, and that the security protocol matches the broker's listener (SSL or SASL_SSL).</source>
            <translation>Check the CA file, and that the security protocol matches the broker's listener (SSL or SASL_SSL).</translation>
        </message>
        <message>
            <source>The Kafka client refused these settings (%1).</source>
            <translation>The Kafka client refused these settings (%1).</translation>
        </message>
        <message>
            <source>Check the fields above.</source>
            <translation>Check the fields above.</translation>
        </message>
        <message>
            <source>The test was stopped.</source>
            <translation>The test was stopped.</translation>
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation>Connecting to %1…</translation>
        </message>
        <message>
            <source>Connect to a cluster</source>
            <translation>Connect to a cluster</translation>
        </message>
        <message>
            <source>&amp;Embedded cluster (inside the app, no set-up)</source>
            <translation>&amp;Embedded cluster (inside the app, no set-up)</translation>
        </message>
        <message>
            <source>Brokers:</source>
            <translation>Brokers:</translation>
        </message>
        <message>
            <source>&amp;Local lab stack (real Kafka, search and PostgreSQL on this machine)</source>
            <translation>&amp;Local lab stack (real Kafka, search and PostgreSQL on this machine)</translation>
        </message>
        <message>
            <source>Kafka %1, search %2, PostgreSQL port %3. Start it with the button in the cluster bar.</source>
            <translation>Kafka %1, search %2, PostgreSQL port %3. Start it with the button in the cluster bar.</translation>
        </message>
        <message>
            <source>E&amp;xternal cluster</source>
            <translation>E&amp;xternal cluster</translation>
        </message>
        <message>
            <source>The &amp;guide's Kubernetes preset</source>
            <translation>The &amp;guide's Kubernetes preset</translation>
        </message>
        <message>
            <source>Kafka %1, Elasticsearch %2.</source>
            <translation>Kafka %1, Elasticsearch %2.</translation>
        </message>
        <message>
            <source>Bootstrap servers</source>
            <translation>Bootstrap servers</translation>
        </message>
        <message>
            <source>Security protocol</source>
            <translation>Security protocol</translation>
        </message>
        <message>
            <source>SASL mechanism</source>
            <translation>SASL mechanism</translation>
        </message>
        <message>
            <source>User</source>
            <translation>User</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Password</translation>
        </message>
        <message>
            <source>CA file (PEM)</source>
            <translation>CA file (PEM)</translation>
        </message>
        <message>
            <source>Search URL (optional)</source>
            <translation>Search URL (optional)</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(none)</translation>
        </message>
        <message>
            <source>Choose the CA certificate file</source>
            <translation>Choose the CA certificate file</translation>
        </message>
        <message>
            <source>(The keyring said: %1)</source>
            <translation>(The keyring said: %1)</translation>
        </message>
        <message>
            <source>Remember the password in the system keyring (never in the settings file)</source>
            <translation>Remember the password in the system keyring (never in the settings file)</translation>
        </message>
        <message>
            <source>The password will not be remembered: no system keyring is available, and the password is never written to the settings file. Enter it each time you connect.</source>
            <translation>The password will not be remembered: no system keyring is available, and the password is never written to the settings file. Enter it each time you connect.</translation>
        </message>
        <message>
            <source>This app's librdkafka has a SCRAM bug that Apache Kafka 4 brokers (the local lab stack) reject as wrong credentials; use PLAIN against Kafka 4. SCRAM works with Kafka 3.</source>
            <translation>This app's librdkafka has a SCRAM bug that Apache Kafka 4 brokers (the local lab stack) reject as wrong credentials; use PLAIN against Kafka 4. SCRAM works with Kafka 3.</translation>
        </message>
        <message>
            <source>Stop test</source>
            <translation>Stop test</translation>
        </message>
        <message>
            <source>&amp;Test connection</source>
            <translation>&amp;Test connection</translation>
        </message>
        <message>
            <source>&amp;Connect</source>
            <translation>&amp;Connect</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ConsumerGroupsModel</name>
        <message>
            <source>%1 (%2 partitions)</source>
            <translation>%1 (%2 partitions)</translation>
        </message>
        <message>
            <source>Group</source>
            <translation>Group</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>Members</translation>
        </message>
        <message>
            <source>Consumed/s</source>
            <translation>Consumed/s</translation>
        </message>
        <message>
            <source>Lag (messages)</source>
            <translation>Lag (messages)</translation>
        </message>
        <message>
            <source>Time lag (s)</source>
            <translation>Time lag (s)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Rebalances</source>
            <translation>Rebalances</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>Why</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ConsumerGroupsPage</name>
        <message>
            <source>Consumer groups</source>
            <translation>Consumer groups</translation>
        </message>
        <message>
            <source>Waiting for the lag monitor's first cycle…</source>
            <translation>Waiting for the lag monitor's first cycle…</translation>
        </message>
        <message>
            <source>What the lag monitor sees: %1</source>
            <translation>What the lag monitor sees: %1</translation>
        </message>
        <message>
            <source>Partitions</source>
            <translation>Partitions</translation>
        </message>
        <message>
            <source>Partitions of %1: owner, committed offset, end offset and lag</source>
            <translation>Partitions of %1: owner, committed offset, end offset and lag</translation>
        </message>
        <message>
            <source>Lag over time (last 5 minutes)</source>
            <translation>Lag over time (last 5 minutes)</translation>
        </message>
        <message>
            <source>messages behind</source>
            <translation>messages behind</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ErrorBanner</name>
        <message>
            <source>%1 reported %2: %3</source>
            <translation>%1 reported %2: %3</translation>
        </message>
        <message numerus="yes">
            <source>(%n more since the last dismissal)</source>
            <translation>
                <numerusform>(%n more since the last dismissal)</numerusform>
                <numerusform>(%n more since the last dismissal)</numerusform>
            </translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>Dismiss</translation>
        </message>
        <message>
            <source>This happens while a consumer group rebalances (a member joined or left) and clears by itself. Offsets that could not be committed are read again, so a few events may be handled twice.</source>
            <translation>This happens while a consumer group rebalances (a member joined or left) and clears by itself. Offsets that could not be committed are read again, so a few events may be handled twice.</translation>
        </message>
        <message>
            <source>A broker cannot be reached. If a lab stopped a broker this is expected; the clients reconnect when it is back. Otherwise check that the cluster is running.</source>
            <translation>A broker cannot be reached. If a lab stopped a broker this is expected; the clients reconnect when it is back. Otherwise check that the cluster is running.</translation>
        </message>
        <message>
            <source>The cluster answered too slowly (a busy machine, or a slow or stopped broker). Lower the workload rate or check the brokers.</source>
            <translation>The cluster answered too slowly (a busy machine, or a slow or stopped broker). Lower the workload rate or check the brokers.</translation>
        </message>
        <message>
            <source>The cluster refused the login. Check the SASL mechanism, user name and password in the connection settings.</source>
            <translation>The cluster refused the login. Check the SASL mechanism, user name and password in the connection settings.</translation>
        </message>
        <message>
            <source>The TLS handshake failed. Check the CA file and that the broker's certificate matches the address you connect to.</source>
            <translation>The TLS handshake failed. Check the CA file and that the broker's certificate matches the address you connect to.</translation>
        </message>
        <message>
            <source>The producer's queue is full: events are made faster than the cluster accepts them. Lower the workload rate.</source>
            <translation>The producer's queue is full: events are made faster than the cluster accepts them. Lower the workload rate.</translation>
        </message>
        <message>
            <source>The topic does not exist on this cluster. Check its name; the pipeline creates the guide's topics when it starts.</source>
            <translation>The topic does not exist on this cluster. Check its name; the pipeline creates the guide's topics when it starts.</translation>
        </message>
        <message>
            <source>Too few in-sync replicas (min.insync.replicas) to accept a write with acks=all. Start the stopped broker again.</source>
            <translation>Too few in-sync replicas (min.insync.replicas) to accept a write with acks=all. Start the stopped broker again.</translation>
        </message>
        <message>
            <source>The consumer's position is no longer in the log (retention removed it); it starts again where auto.offset.reset says.</source>
            <translation>The consumer's position is no longer in the log (retention removed it); it starts again where auto.offset.reset says.</translation>
        </message>
        <message>
            <source>This cluster does not support the request: the embedded cluster lacks some admin APIs. Use the local lab stack for it.</source>
            <translation>This cluster does not support the request: the embedded cluster lacks some admin APIs. Use the local lab stack for it.</translation>
        </message>
        <message>
            <source>The event is larger than the broker accepts (message.max.bytes).</source>
            <translation>The event is larger than the broker accepts (message.max.bytes).</translation>
        </message>
        <message>
            <source>The cluster could not be used with these settings. Check the connection settings and start again.</source>
            <translation>The cluster could not be used with these settings. Check the connection settings and start again.</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::EventsPage</name>
        <message>
            <source>Events</source>
            <translation>Events</translation>
        </message>
        <message>
            <source>Sent: %1</source>
            <translation>Sent: %1</translation>
        </message>
        <message>
            <source>%1 newest records of %2, decoded as they arrive</source>
            <translation>%1 newest records of %2, decoded as they arrive</translation>
        </message>
        <message>
            <source>The tail cannot read %1: %2</source>
            <translation>The tail cannot read %1: %2</translation>
        </message>
        <message>
            <source>(cut: only the first %1 bytes are kept)</source>
            <translation>(cut: only the first %1 bytes are kept)</translation>
        </message>
        <message>
            <source>Not a valid event: %1</source>
            <translation>Not a valid event: %1</translation>
        </message>
        <message>
            <source>Headers:</source>
            <translation>Headers:</translation>
        </message>
        <message>
            <source>Valid %1: goes to %2 with key %3</source>
            <translation>Valid %1: goes to %2 with key %3</translation>
        </message>
        <message>
            <source>Not valid, nothing will be sent: %1</source>
            <translation>Not valid, nothing will be sent: %1</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Sending…</translation>
        </message>
        <message>
            <source>&amp;Tail topic:</source>
            <translation>&amp;Tail topic:</translation>
        </message>
        <message>
            <source>Produce an event by hand, type:</source>
            <translation>Produce an event by hand, type:</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Send</translation>
        </message>
        <message>
            <source>Checked with the app's own parser first; sent only when valid</source>
            <translation>Checked with the app's own parser first; sent only when valid</translation>
        </message>
        <message>
            <source>Select a record to see its raw JSON and headers</source>
            <translation>Select a record to see its raw JSON and headers</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::MainWindow</name>
        <message>
            <source>Labs</source>
            <translation>Labs</translation>
        </message>
        <message>
            <source>Snapshot %1 · uptime %2 s</source>
            <translation>Snapshot %1 · uptime %2 s</translation>
        </message>
        <message>
            <source>Kafka Collab Lab</source>
            <translation>Kafka Collab Lab</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quit</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>Show &amp;toasts for new mentions</source>
            <translation>Show &amp;toasts for new mentions</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Language</translation>
        </message>
        <message>
            <source>Follow the system</source>
            <translation>Follow the system</translation>
        </message>
        <message>
            <source>&amp;Cluster</source>
            <translation>&amp;Cluster</translation>
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation>&amp;Connect…</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::MentionToast</name>
        <message>
            <source>New mention</source>
            <translation>New mention</translation>
        </message>
        <message>
            <source>@%1 was mentioned by %2 in #%3</source>
            <translation>@%1 was mentioned by %2 in #%3</translation>
        </message>
        <message numerus="yes">
            <source>and %n more</source>
            <translation>
                <numerusform>and %n more</numerusform>
                <numerusform>and %n more</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::NotificationModel</name>
        <message>
            <source>Created at %1, notified at %2</source>
            <translation>Created at %1, notified at %2</translation>
        </message>
        <message>
            <source>Recipient</source>
            <translation>Recipient</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Author</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>Channel</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Message</translation>
        </message>
        <message>
            <source>Latency (ms)</source>
            <translation>Latency (ms)</translation>
        </message>
        <message>
            <source>Notified at</source>
            <translation>Notified at</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::NotificationsPage</name>
        <message>
            <source>latency p50 %1 ms, p99 %2 ms</source>
            <translation>latency p50 %1 ms, p99 %2 ms</translation>
        </message>
        <message>
            <source>showing %1 of %2 rows</source>
            <translation>showing %1 of %2 rows</translation>
        </message>
        <message>
            <source>&amp;Recipient:</source>
            <translation>&amp;Recipient:</translation>
        </message>
        <message>
            <source>Filter by recipient (e.g. user_007)</source>
            <translation>Filter by recipient (e.g. user_007)</translation>
        </message>
        <message>
            <source>Mention notifications</source>
            <translation>Mention notifications</translation>
        </message>
        <message numerus="yes">
            <source>%Ln notification(s) in total</source>
            <translation>
                <numerusform>%Ln notification in total</numerusform>
                <numerusform>%Ln notifications in total</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::OverviewPage</name>
        <message>
            <source>Overview</source>
            <translation>Overview</translation>
        </message>
        <message>
            <source>none</source>
            <translation>none</translation>
        </message>
        <message>
            <source>Partitions of %1</source>
            <translation>Partitions of %1</translation>
        </message>
        <message>
            <source>up</source>
            <translation>up</translation>
        </message>
        <message>
            <source>down</source>
            <translation>down</translation>
        </message>
        <message>
            <source>Waiting for the lag monitor's first cycle…</source>
            <translation>Waiting for the lag monitor's first cycle…</translation>
        </message>
        <message>
            <source>broker %1</source>
            <translation>broker %1</translation>
        </message>
        <message>
            <source>Broker</source>
            <translation>Broker</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Leads partitions</source>
            <translation>Leads partitions</translation>
        </message>
        <message>
            <source>Messages in them</source>
            <translation>Messages in them</translation>
        </message>
        <message>
            <source>Topic</source>
            <translation>Topic</translation>
        </message>
        <message>
            <source>Partitions</source>
            <translation>Partitions</translation>
        </message>
        <message>
            <source>Messages held</source>
            <translation>Messages held</translation>
        </message>
        <message>
            <source>Messages/s (cluster)</source>
            <translation>Messages/s (cluster)</translation>
        </message>
        <message>
            <source>Read/s (all groups)</source>
            <translation>Read/s (all groups)</translation>
        </message>
        <message>
            <source>Skew (max/mean)</source>
            <translation>Skew (max/mean)</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>Partition</translation>
        </message>
        <message>
            <source>Leader</source>
            <translation>Leader</translation>
        </message>
        <message>
            <source>Replicas</source>
            <translation>Replicas</translation>
        </message>
        <message>
            <source>In-sync replicas</source>
            <translation>In-sync replicas</translation>
        </message>
        <message>
            <source>Load per broker</source>
            <translation>Load per broker</translation>
        </message>
        <message>
            <source>partitions led</source>
            <translation>partitions led</translation>
        </message>
        <message>
            <source>messages held (relative)</source>
            <translation>messages held (relative)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::PartitionLagModel</name>
        <message>
            <source>(no owner)</source>
            <translation>(no owner)</translation>
        </message>
        <message>
            <source>Topic</source>
            <translation>Topic</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>Partition</translation>
        </message>
        <message>
            <source>Owner (member)</source>
            <translation>Owner (member)</translation>
        </message>
        <message>
            <source>Committed offset</source>
            <translation>Committed offset</translation>
        </message>
        <message>
            <source>End offset</source>
            <translation>End offset</translation>
        </message>
        <message>
            <source>Lag</source>
            <translation>Lag</translation>
        </message>
        <message>
            <source>Time lag (s)</source>
            <translation>Time lag (s)</translation>
        </message>
        <message>
            <source>Read to the end: only transaction markers remain after the committed offset. A consumer commits the offset after its last record, and the marker that ends a transaction is never delivered, so this lag stays.</source>
            <translation>Read to the end: only transaction markers remain after the committed offset. A consumer commits the offset after its last record, and the marker that ends a transaction is never delivered, so this lag stays.</translation>
        </message>
        <message>
            <source>%1 (markers only)</source>
            <translation>%1 (markers only)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::PipelinePage</name>
        <message>
            <source>Pipeline</source>
            <translation>Pipeline</translation>
        </message>
        <message>
            <source>%1 records/s · %2 handled · %3 with partitions · %4 dead-lettered · %5 rebalances</source>
            <translation>%1 records/s · %2 handled · %3 with partitions · %4 dead-lettered · %5 rebalances</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>stopped</translation>
        </message>
        <message>
            <source>Untick a broker to stop it: its partitions stall until it is back (the embedded cluster keeps leadership with a stopped broker).</source>
            <translation>Untick a broker to stop it: its partitions stall until it is back (the embedded cluster keeps leadership with a stopped broker).</translation>
        </message>
        <message>
            <source>Brokers of a real cluster are stopped outside the app, for example 'kafka-collab-lab stack stop-broker 2' on the local lab stack.</source>
            <translation>Brokers of a real cluster are stopped outside the app, for example 'kafka-collab-lab stack stop-broker 2' on the local lab stack.</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stop</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Services (one consumer group each)</source>
            <translation>Services (one consumer group each)</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Service</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>Members</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Run</translation>
        </message>
        <message>
            <source>Delay per record</source>
            <translation>Delay per record</translation>
        </message>
        <message>
            <source>Offsets</source>
            <translation>Offsets</translation>
        </message>
        <message>
            <source>What it does now</source>
            <translation>What it does now</translation>
        </message>
        <message>
            <source>Remove a member (the group rebalances)</source>
            <translation>Remove a member (the group rebalances)</translation>
        </message>
        <message>
            <source>Add a member (the group rebalances)</source>
            <translation>Add a member (the group rebalances)</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Slow this consumer: every member waits this long per record, so lag builds</source>
            <translation>Slow this consumer: every member waits this long per record, so lag builds</translation>
        </message>
        <message>
            <source>Rewind</source>
            <translation>Rewind</translation>
        </message>
        <message>
            <source>Reset the group's committed offsets to the start of every partition (its members leave and rejoin) and watch it reprocess</source>
            <translation>Reset the group's committed offsets to the start of every partition (its members leave and rejoin) and watch it reprocess</translation>
        </message>
        <message>
            <source>Brokers</source>
            <translation>Brokers</translation>
        </message>
        <message>
            <source>broker %1 up</source>
            <translation>broker %1 up</translation>
        </message>
        <message>
            <source>Backend workload</source>
            <translation>Backend workload</translation>
        </message>
        <message>
            <source>Key message events by channel (per-channel order); untick to send them without a key</source>
            <translation>Key message events by channel (per-channel order); untick to send them without a key</translation>
        </message>
        <message>
            <source>node up</source>
            <translation>node up</translation>
        </message>
        <message>
            <source>node down</source>
            <translation>node down</translation>
        </message>
        <message>
            <source>node answers but refuses the writes (see the error)</source>
            <translation>node answers but refuses the writes (see the error)</translation>
        </message>
        <message>
            <source>node not reached yet</source>
            <translation>node not reached yet</translation>
        </message>
        <message>
            <source>index '%1': %2 written · %3 deleted · %4 already applied (409) · %5 waiting · %6 failed bulks · %7</source>
            <translation>index '%1': %2 written · %3 deleted · %4 already applied (409) · %5 waiting · %6 failed bulks · %7</translation>
        </message>
        <message>
            <source>%1 events applied · %2 messages rebuilt (%3 deleted) · %4</source>
            <translation>%1 events applied · %2 messages rebuilt (%3 deleted) · %4</translation>
        </message>
        <message>
            <source>caught up</source>
            <translation>caught up</translation>
        </message>
        <message>
            <source>replaying</source>
            <translation>replaying</translation>
        </message>
        <message numerus="yes">
            <source>compared with the write model: %n difference(s)</source>
            <translation>
                <numerusform>compared with the write model: %n difference</numerusform>
                <numerusform>compared with the write model: %n differences</numerusform>
            </translation>
        </message>
        <message>
            <source>latest state in %1 (compacted): %2 records written</source>
            <translation>latest state in %1 (compacted): %2 records written</translation>
        </message>
        <message>
            <source>reading the latest-state topic back...</source>
            <translation>reading the latest-state topic back...</translation>
        </message>
        <message>
            <source>read back: %1 records for %2 messages (%3 tombstones); the log cleaner removed the older ones</source>
            <translation>read back: %1 records for %2 messages (%3 tombstones); the log cleaner removed the older ones</translation>
        </message>
        <message>
            <source>%1 lines in %2</source>
            <translation>%1 lines in %2</translation>
        </message>
        <message>
            <source>%1 events in windows · %2 late · %3 windows closed</source>
            <translation>%1 events in windows · %2 late · %3 windows closed</translation>
        </message>
        <message>
            <source>Send a poison message</source>
            <translation>Send a poison message</translation>
        </message>
        <message>
            <source>Send one record that is JSON but not an event to platform.messages.created: every consumer refuses it and sends it to platform.deadletter, then goes on</source>
            <translation>Send one record that is JSON but not an event to platform.messages.created: every consumer refuses it and sends it to platform.deadletter, then goes on</translation>
        </message>
        <message>
            <source>Replay: rebuild the state</source>
            <translation>Replay: rebuild the state</translation>
        </message>
        <message>
            <source>Start the state rebuilder in a new group that reads the message topics from the beginning (event sourcing)</source>
            <translation>Start the state rebuilder in a new group that reads the message topics from the beginning (event sourcing)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::SearchPage</name>
        <message>
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Searching…</translation>
        </message>
        <message>
            <source>The search failed: %1</source>
            <translation>The search failed: %1</translation>
        </message>
        <message>
            <source>%1 shown of %2 matching messages; the node took %3 ms, round trip %4 ms</source>
            <translation>%1 shown of %2 matching messages; the node took %3 ms, round trip %4 ms</translation>
        </message>
        <message>
            <source>No message matches.</source>
            <translation>No message matches.</translation>
        </message>
        <message>
            <source>The search indexer runs with %1 member(s) and has handled %2 events; a message is searchable about a second after it is indexed (the node refreshes its index once a second).</source>
            <translation>The search indexer runs with %1 member(s) and has handled %2 events; a message is searchable about a second after it is indexed (the node refreshes its index once a second).</translation>
        </message>
        <message>
            <source>The search indexer is not running: start it on the Pipeline page to fill the index.</source>
            <translation>The search indexer is not running: start it on the Pipeline page to fill the index.</translation>
        </message>
        <message>
            <source>&amp;Text:</source>
            <translation>&amp;Text:</translation>
        </message>
        <message>
            <source>words to find in messages, e.g. 배포 or deploy</source>
            <translation>words to find in messages, e.g. 배포 or deploy</translation>
        </message>
        <message>
            <source>&amp;Channel:</source>
            <translation>&amp;Channel:</translation>
        </message>
        <message>
            <source>any</source>
            <translation>any</translation>
        </message>
        <message>
            <source>&amp;Author:</source>
            <translation>&amp;Author:</translation>
        </message>
        <message>
            <source>Read load: %1 readers · %2 searches · p50 %3 ms · p99 %4 ms · %5 errors</source>
            <translation>Read load: %1 readers · %2 searches · p50 %3 ms · p99 %4 ms · %5 errors</translation>
        </message>
        <message>
            <source>Write to searchable: %1 of %2 probes found · p50 %3 ms · p99 %4 ms</source>
            <translation>Write to searchable: %1 of %2 probes found · p50 %3 ms · p99 %4 ms</translation>
        </message>
        <message>
            <source>Write side (PostgreSQL commit): p50 %1 ms · p99 %2 ms</source>
            <translation>Write side (PostgreSQL commit): p50 %1 ms · p99 %2 ms</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::TailModel</name>
        <message>
            <source>not an event</source>
            <translation>not an event</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>Partition</translation>
        </message>
        <message>
            <source>Offset</source>
            <translation>Offset</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>Key</translation>
        </message>
        <message>
            <source>Event type</source>
            <translation>Event type</translation>
        </message>
        <message>
            <source>What it says</source>
            <translation>What it says</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ThroughputPage</name>
        <message>
            <source>&amp;Time window:</source>
            <translation>&amp;Time window:</translation>
        </message>
        <message>
            <source>Last 5 minutes</source>
            <translation>Last 5 minutes</translation>
        </message>
        <message>
            <source>Last 15 minutes</source>
            <translation>Last 15 minutes</translation>
        </message>
        <message>
            <source>Last 60 minutes</source>
            <translation>Last 60 minutes</translation>
        </message>
        <message>
            <source>Messages in per second</source>
            <translation>Messages in per second</translation>
        </message>
        <message>
            <source>Messages out per second</source>
            <translation>Messages out per second</translation>
        </message>
        <message>
            <source>messages/s</source>
            <translation>messages/s</translation>
        </message>
        <message>
            <source>All topics: %1 messages/s in, %2 messages/s out</source>
            <translation>All topics: %1 messages/s in, %2 messages/s out</translation>
        </message>
        <message>
            <source>Throughput</source>
            <translation>Throughput</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ThroughputTableModel</name>
        <message>
            <source>Topic</source>
            <translation>Topic</translation>
        </message>
        <message>
            <source>Partitions</source>
            <translation>Partitions</translation>
        </message>
        <message>
            <source>In (msg/s)</source>
            <translation>In (msg/s)</translation>
        </message>
        <message>
            <source>Out (msg/s)</source>
            <translation>Out (msg/s)</translation>
        </message>
        <message>
            <source>In (bytes/s)</source>
            <translation>In (bytes/s)</translation>
        </message>
        <message>
            <source>Out (bytes/s)</source>
            <translation>Out (bytes/s)</translation>
        </message>
        <message>
            <source>Total in</source>
            <translation>Total in</translation>
        </message>
        <message>
            <source>Total out</source>
            <translation>Total out</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::WorkloadControls</name>
        <message>
            <source>%1 requested, %2 with partitions assigned</source>
            <translation>%1 requested, %2 with partitions assigned</translation>
        </message>
        <message>
            <source>Stop workload</source>
            <translation>Stop workload</translation>
        </message>
        <message>
            <source>Start workload</source>
            <translation>Start workload</translation>
        </message>
        <message>
            <source>Start or stop the simulated backend (users writing messages with mentions)</source>
            <translation>Start or stop the simulated backend (users writing messages with mentions)</translation>
        </message>
        <message>
            <source>&amp;Rate:</source>
            <translation>&amp;Rate:</translation>
        </message>
        <message>
            <source> events/s</source>
            <translation> events/s</translation>
        </message>
        <message>
            <source>Events per second the backend workload produces</source>
            <translation>Events per second the backend workload produces</translation>
        </message>
        <message>
            <source>notification-service members:</source>
            <translation>notification-service members:</translation>
        </message>
        <message>
            <source>Remove a member (the group rebalances)</source>
            <translation>Remove a member (the group rebalances)</translation>
        </message>
        <message>
            <source>Add a member (the group rebalances)</source>
            <translation>Add a member (the group rebalances)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::LabPanel</name>
        <message>
            <source>Throughput</source>
            <translation>Throughput</translation>
        </message>
        <message>
            <source>Notifications</source>
            <translation>Notifications</translation>
        </message>
        <message>
            <source>Consumer groups</source>
            <translation>Consumer groups</translation>
        </message>
        <message>
            <source>Pipeline</source>
            <translation>Pipeline</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Events</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Overview</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>%1 / %2 s</source>
            <translation>%1 / %2 s</translation>
        </message>
        <message>
            <source>3 brokers</source>
            <translation>3 brokers</translation>
        </message>
        <message>
            <source>Cannot write %1.</source>
            <translation>Cannot write %1.</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Cannot write %1: %2</translation>
        </message>
        <message>
            <source>Checklist</source>
            <translation>Checklist</translation>
        </message>
        <message>
            <source>Choose a lab</source>
            <translation>Choose a lab</translation>
        </message>
        <message>
            <source>Could not start the local lab stack: %1</source>
            <translation>Could not start the local lab stack: %1</translation>
        </message>
        <message>
            <source>Export report…</source>
            <translation>Export report…</translation>
        </message>
        <message>
            <source>Export the lab report</source>
            <translation>Export the lab report</translation>
        </message>
        <message>
            <source>FAILED: see the checks in red.</source>
            <translation>FAILED: see the checks in red.</translation>
        </message>
        <message>
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <source>Missing: %1.</source>
            <translation>Missing: %1.</translation>
        </message>
        <message>
            <source>Needs: %1 · %2 s</source>
            <translation>Needs: %1 · %2 s</translation>
        </message>
        <message>
            <source>PASSED: every check held.</source>
            <translation>PASSED: every check held.</translation>
        </message>
        <message>
            <source>PostgreSQL</source>
            <translation>PostgreSQL</translation>
        </message>
        <message>
            <source>Run a lab to the end (or stop it) first.</source>
            <translation>Run a lab to the end (or stop it) first.</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Run</translation>
        </message>
        <message>
            <source>Running…</source>
            <translation>Running…</translation>
        </message>
        <message>
            <source>Start the local lab stack</source>
            <translation>Start the local lab stack</translation>
        </message>
        <message>
            <source>Starting the lab…</source>
            <translation>Starting the lab…</translation>
        </message>
        <message>
            <source>Starting the local lab stack…</source>
            <translation>Starting the local lab stack…</translation>
        </message>
        <message>
            <source>Steps</source>
            <translation>Steps</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stop</translation>
        </message>
        <message>
            <source>Stopped: %1</source>
            <translation>Stopped: %1</translation>
        </message>
        <message>
            <source>The local lab stack did not start (exit code %1): %2</source>
            <translation>The local lab stack did not start (exit code %1): %2</translation>
        </message>
        <message>
            <source>The local lab stack is running (%1): Run uses it.</source>
            <translation>The local lab stack is running (%1): Run uses it.</translation>
        </message>
        <message>
            <source>a command is already running</source>
            <translation>a command is already running</translation>
        </message>
        <message>
            <source>a real Kafka cluster (the app runs on the embedded one)</source>
            <translation>a real Kafka cluster (the app runs on the embedded one)</translation>
        </message>
        <message>
            <source>a real Kafka cluster</source>
            <translation>a real Kafka cluster</translation>
        </message>
        <message>
            <source>draining: waiting for the pipeline to be quiet…</source>
            <translation>draining: waiting for the pipeline to be quiet…</translation>
        </message>
        <message>
            <source>the embedded cluster</source>
            <translation>the embedded cluster</translation>
        </message>
        <message>
            <source>the embedded cluster's fault injection: start the app with --cluster embedded</source>
            <translation>the embedded cluster's fault injection: start the app with --cluster embedded</translation>
        </message>
        <message>
            <source>the search indexer, which this version of the app does not run yet</source>
            <translation>the search indexer, which this version of the app does not run yet</translation>
        </message>
        <message>
            <source>PostgreSQL for the lab's write_mode ('sql' missing from its needs)</source>
            <translation>PostgreSQL for the lab's write_mode ('sql' missing from its needs)</translation>
        </message>
        <message>
            <source>the search node</source>
            <translation>the search node</translation>
        </message>
        <message numerus="yes">
            <source>Report written: %1 (and %n picture(s)).</source>
            <translation>
                <numerusform>Report written: %1 (and %n picture).</numerusform>
                <numerusform>Report written: %1 (and %n pictures).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::LabStepModel</name>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>At</source>
            <translation>At</translation>
        </message>
        <message>
            <source>Page</source>
            <translation>Page</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>Step</translation>
        </message>
        <message>
            <source>done</source>
            <translation>done</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>failed</translation>
        </message>
        <message>
            <source>pending</source>
            <translation>pending</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::LabCheckModel</name>
        <message>
            <source>value at the end: %1</source>
            <translation>value at the end: %1</translation>
        </message>
        <message>
            <source>held at %1 s (value %2)</source>
            <translation>held at %1 s (value %2)</translation>
        </message>
        <message>
            <source>never held during the run</source>
            <translation>never held during the run</translation>
        </message>
        <message>
            <source>held on every sample</source>
            <translation>held on every sample</translation>
        </message>
        <message>
            <source>broken at %1 s (value %2)</source>
            <translation>broken at %1 s (value %2)</translation>
        </message>
        <message>
            <source>Check and what to see</source>
            <translation>Check and what to see</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Value</translation>
        </message>
        <message>
            <source>always</source>
            <translation>always</translation>
        </message>
        <message>
            <source>at some point</source>
            <translation>at some point</translation>
        </message>
        <message>
            <source>at the end</source>
            <translation>at the end</translation>
        </message>
        <message>
            <source>… pending</source>
            <translation>… pending</translation>
        </message>
        <message>
            <source>✔ passed</source>
            <translation>✔ passed</translation>
        </message>
        <message>
            <source>✘ failed</source>
            <translation>✘ failed</translation>
        </message>
    </context>
</TS>
