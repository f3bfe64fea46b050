<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>kcl::ui::ClusterBar</name>
    <message>
        <source>Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brokers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Produced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consumed (notification-service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notification latency p50 / p99</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 / %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::ErrorBanner</name>
    <message>
        <source>%1 reported %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>(%n more since the last dismissal)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::MainWindow</name>
    <message>
        <source>Snapshot %1 · uptime %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kafka Collab Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mention notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;toasts for new mentions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::MentionToast</name>
    <message>
        <source>New mention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>@%1 was mentioned by %2 in #%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kcl::ui::NotificationModel</name>
    <message>
        <source>Created at %1, notified at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notified at</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::NotificationsPage</name>
    <message numerus="yes">
        <source>%n notification(s) in total</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>latency p50 %1 ms, p99 %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>showing %1 of %2 rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recipient:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by recipient (e.g. user_007)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::ThroughputPage</name>
    <message>
        <source>&amp;Time window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 60 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages in per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages out per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>messages/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::ThroughputTableModel</name>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In (msg/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out (msg/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In (bytes/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out (bytes/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kcl::ui::WorkloadControls</name>
    <message>
        <source>%1 requested, %2 with partitions assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop workload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start workload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start or stop the simulated backend (users writing messages with mentions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> events/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events per second the backend workload produces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>notification-service members:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove a member (the group rebalances)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a member (the group rebalances)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
