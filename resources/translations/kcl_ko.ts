<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
    <context>
        <name>kcl::ui::ClusterBar</name>
        <message>
            <source>Cluster</source>
            <translation>클러스터</translation>
        </message>
        <message>
            <source>Brokers</source>
            <translation>브로커</translation>
        </message>
        <message>
            <source>Produced</source>
            <translation>생산</translation>
        </message>
        <message>
            <source>Consumed (notification-service)</source>
            <translation>소비 (notification-service)</translation>
        </message>
        <message>
            <source>Notifications</source>
            <translation>알림</translation>
        </message>
        <message>
            <source>Notification latency p50 / p99</source>
            <translation>알림 지연 p50 / p99</translation>
        </message>
        <message>
            <source>starting…</source>
            <translation>시작하는 중…</translation>
        </message>
        <message>
            <source>running</source>
            <translation>실행 중</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>중지됨</translation>
        </message>
        <message>
            <source>embedded</source>
            <translation>내장</translation>
        </message>
        <message>
            <source>%1 up</source>
            <translation>%1대 정상</translation>
        </message>
        <message>
            <source>%1 down</source>
            <translation>%1대 중지</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/초</translation>
        </message>
        <message numerus="yes">
            <source>%n member(s)</source>
            <translation>
                <numerusform>멤버 %n명</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 / %2 ms</source>
            <translation>%1 / %2 ms</translation>
        </message>
        <message>
            <source>local lab stack</source>
            <translation>로컬 실습 스택</translation>
        </message>
        <message>
            <source>could not run the script: %1</source>
            <translation>스크립트를 실행할 수 없습니다: %1</translation>
        </message>
        <message>
            <source>labstack.sh was not found</source>
            <translation>labstack.sh 를 찾지 못했습니다</translation>
        </message>
        <message>
            <source>the script ended with exit code %1 and no message</source>
            <translation>스크립트가 메시지 없이 종료 코드 %1 로 끝났습니다</translation>
        </message>
        <message>
            <source>the stack did not start: %1</source>
            <translation>스택이 시작되지 않았습니다: %1</translation>
        </message>
        <message>
            <source>the stack did not stop: %1</source>
            <translation>스택이 중지되지 않았습니다: %1</translation>
        </message>
        <message>
            <source>Stop embedded cluster</source>
            <translation>내장 클러스터 중지</translation>
        </message>
        <message>
            <source>Start embedded cluster</source>
            <translation>내장 클러스터 시작</translation>
        </message>
        <message>
            <source>Starting local stack… %1 s</source>
            <translation>로컬 스택 시작하는 중… %1초</translation>
        </message>
        <message>
            <source>Stopping local stack… %1 s</source>
            <translation>로컬 스택 중지하는 중… %1초</translation>
        </message>
        <message>
            <source>Stop local stack</source>
            <translation>로컬 스택 중지</translation>
        </message>
        <message>
            <source>Start local stack</source>
            <translation>로컬 스택 시작</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ConnectionDialog</name>
        <message>
            <source>CA certificate</source>
            <translation>CA 인증서</translation>
        </message>
        <message>
            <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation>인증서 (*.pem *.crt *.cer);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not an http:// or https:// address (for example http://127.0.0.1:9200).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' 은(는) http:// 또는 https:// 주소가 아닙니다 (예: http://127.0.0.1:9200).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; is empty: give at least one broker as HOST:PORT (for example 127.0.0.1:9092).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; 이(가) 비어 있습니다: 브로커를 하나 이상 HOST:PORT 로 적으세요 (예: 127.0.0.1:9092).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not HOST:PORT (for example 127.0.0.1:9092).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' 은(는) HOST:PORT 형식이 아닙니다 (예: 127.0.0.1:9092).</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' has no valid port (1 to 65535).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' 에 올바른 포트(1~65535)가 없습니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' has no host name.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' 에 호스트 이름이 없습니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: the embedded cluster speaks plain text only; security settings need a local or external cluster.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: 내장 클러스터는 평문으로만 통신합니다. 보안 설정은 로컬 또는 외부 클러스터에서만 쓸 수 있습니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' 은(는) PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL 중 하나가 아닙니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: '%2' is not PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: '%2' 은(는) PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 중 하나가 아닙니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; is required: the security protocol %2 logs in with SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512).</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; 이(가) 필요합니다: 보안 프로토콜 %2 는 SASL(PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)로 로그인합니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: a SASL mechanism needs the security protocol SASL_PLAINTEXT or SASL_SSL, not %2.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: SASL 메커니즘에는 %2 가 아니라 SASL_PLAINTEXT 또는 SASL_SSL 보안 프로토콜이 필요합니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: a user name and a password need a SASL mechanism.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: 사용자 이름과 비밀번호에는 SASL 메커니즘이 필요합니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: a CA file needs the security protocol SSL or SASL_SSL, not %2.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: CA 파일에는 %2 가 아니라 SSL 또는 SASL_SSL 보안 프로토콜이 필요합니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt;: cannot read the file '%2'.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt;: 파일 '%2' 을(를) 읽을 수 없습니다.</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; is required: SASL %2 logs in with a user name and a password.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; 이(가) 필요합니다: SASL %2 는 사용자 이름과 비밀번호로 로그인합니다.</translation>
        </message>
        <message>
            <source>The embedded cluster runs inside the app: there is nothing to test.</source>
            <translation>내장 클러스터는 앱 안에서 실행되므로 테스트할 연결이 없습니다.</translation>
        </message>
        <message numerus="yes">
            <source>Connected to %1: %n broker(s) answered.</source>
            <translation>
                <numerusform>%1 에 연결했습니다: 브로커 %n대가 응답했습니다.</numerusform>
            </translation>
        </message>
        <message>
            <source>The controller is broker %1.</source>
            <translation>컨트롤러는 브로커 %1 입니다.</translation>
        </message>
        <message>
            <source>The cluster names no controller.</source>
            <translation>클러스터가 컨트롤러를 알려 주지 않습니다.</translation>
        </message>
        <message>
            <source>Cannot reach %1 (%2).</source>
            <translation>%1 에 연결할 수 없습니다 (%2).</translation>
        </message>
        <message>
            <source>Check that the cluster is running and that the host names and ports are right. For the local lab stack, start it with the button in the cluster bar.</source>
            <translation>클러스터가 실행 중인지, 호스트 이름과 포트가 맞는지 확인하세요. 로컬 실습 스택이라면 클러스터 막대의 버튼으로 시작하세요.</translation>
        </message>
        <message>
            <source>The cluster at %1 refused the login (%2).</source>
            <translation>%1 의 클러스터가 로그인을 거부했습니다 (%2).</translation>
        </message>
        <message>
            <source>Check the SASL mechanism, the user name and the password.</source>
            <translation>SASL 메커니즘, 사용자 이름, 비밀번호를 확인하세요.</translation>
        </message>
        <message>
            <source>The TLS connection to %1 failed (%2).</source>
            <translation>%1 로의 TLS 연결에 실패했습니다 (%2).</translation>
        </message>
        <message>
            <source>Check the CA file, and that the security protocol matches the broker's listener (SSL or SASL_SSL).</source>
            <translation>CA 파일을 확인하고, 보안 프로토콜이 브로커의 리스너(SSL 또는 SASL_SSL)와 맞는지 확인하세요.</translation>
        </message>
        <message>
            <source>The Kafka client refused these settings (%1).</source>
            <translation>Kafka 클라이언트가 이 설정을 거부했습니다 (%1).</translation>
        </message>
        <message>
            <source>Check the fields above.</source>
            <translation>위의 입력란을 확인하세요.</translation>
        </message>
        <message>
            <source>The test was stopped.</source>
            <translation>테스트를 중지했습니다.</translation>
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation>%1 에 연결하는 중…</translation>
        </message>
        <message>
            <source>Connect to a cluster</source>
            <translation>클러스터에 연결</translation>
        </message>
        <message>
            <source>&amp;Embedded cluster (inside the app, no set-up)</source>
            <translation>내장 클러스터 (앱 안에서 실행, 설정 불필요)(&amp;E)</translation>
        </message>
        <message>
            <source>Brokers:</source>
            <translation>브로커 수:</translation>
        </message>
        <message>
            <source>&amp;Local lab stack (real Kafka, search and PostgreSQL on this machine)</source>
            <translation>로컬 실습 스택 (이 컴퓨터의 실제 Kafka, 검색, PostgreSQL)(&amp;L)</translation>
        </message>
        <message>
            <source>Kafka %1, search %2, PostgreSQL port %3. Start it with the button in the cluster bar.</source>
            <translation>Kafka %1, 검색 %2, PostgreSQL 포트 %3. 클러스터 막대의 버튼으로 시작하세요.</translation>
        </message>
        <message>
            <source>E&amp;xternal cluster</source>
            <translation>외부 클러스터(&amp;X)</translation>
        </message>
        <message>
            <source>The &amp;guide's Kubernetes preset</source>
            <translation>가이드의 Kubernetes 프리셋(&amp;G)</translation>
        </message>
        <message>
            <source>Kafka %1, Elasticsearch %2.</source>
            <translation>Kafka %1, Elasticsearch %2.</translation>
        </message>
        <message>
            <source>Bootstrap servers</source>
            <translation>부트스트랩 서버</translation>
        </message>
        <message>
            <source>Security protocol</source>
            <translation>보안 프로토콜</translation>
        </message>
        <message>
            <source>SASL mechanism</source>
            <translation>SASL 메커니즘</translation>
        </message>
        <message>
            <source>User</source>
            <translation>사용자</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>비밀번호</translation>
        </message>
        <message>
            <source>CA file (PEM)</source>
            <translation>CA 파일 (PEM)</translation>
        </message>
        <message>
            <source>Search URL (optional)</source>
            <translation>검색 URL (선택)</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(없음)</translation>
        </message>
        <message>
            <source>Choose the CA certificate file</source>
            <translation>CA 인증서 파일 고르기</translation>
        </message>
        <message>
            <source>(The keyring said: %1)</source>
            <translation>(키링의 응답: %1)</translation>
        </message>
        <message>
            <source>Remember the password in the system keyring (never in the settings file)</source>
            <translation>비밀번호를 시스템 키링에 기억합니다 (설정 파일에는 저장하지 않습니다)</translation>
        </message>
        <message>
            <source>The password will not be remembered: no system keyring is available, and the password is never written to the settings file. Enter it each time you connect.</source>
            <translation>비밀번호는 기억되지 않습니다: 사용할 수 있는 시스템 키링이 없고, 비밀번호는 설정 파일에 절대 저장하지 않습니다. 연결할 때마다 입력하세요.</translation>
        </message>
        <message>
            <source>This app's librdkafka has a SCRAM bug that Apache Kafka 4 brokers (the local lab stack) reject as wrong credentials; use PLAIN against Kafka 4. SCRAM works with Kafka 3.</source>
            <translation>이 앱의 librdkafka 에는 SCRAM 버그가 있어 Apache Kafka 4 브로커(로컬 실습 스택)가 잘못된 자격 증명으로 거부합니다. Kafka 4 에는 PLAIN 을 쓰세요. SCRAM 은 Kafka 3 에서 동작합니다.</translation>
        </message>
        <message>
            <source>Stop test</source>
            <translation>테스트 중지</translation>
        </message>
        <message>
            <source>&amp;Test connection</source>
            <translation>연결 테스트(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Connect</source>
            <translation>연결(&amp;C)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>취소</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ConsumerGroupsModel</name>
        <message>
            <source>%1 (%2 partitions)</source>
            <translation>%1명 (파티션 %2개)</translation>
        </message>
        <message>
            <source>Group</source>
            <translation>그룹</translation>
        </message>
        <message>
            <source>State</source>
            <translation>상태</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>멤버</translation>
        </message>
        <message>
            <source>Consumed/s</source>
            <translation>소비/초</translation>
        </message>
        <message>
            <source>Lag (messages)</source>
            <translation>랙 (메시지)</translation>
        </message>
        <message>
            <source>Time lag (s)</source>
            <translation>시간 랙 (초)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>판정</translation>
        </message>
        <message>
            <source>Rebalances</source>
            <translation>리밸런스</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>이유</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ConsumerGroupsPage</name>
        <message>
            <source>Consumer groups</source>
            <translation>컨슈머 그룹</translation>
        </message>
        <message>
            <source>Waiting for the lag monitor's first cycle…</source>
            <translation>랙 모니터의 첫 측정을 기다리는 중…</translation>
        </message>
        <message>
            <source>What the lag monitor sees: %1</source>
            <translation>랙 모니터가 보는 범위: %1</translation>
        </message>
        <message>
            <source>Partitions</source>
            <translation>파티션</translation>
        </message>
        <message>
            <source>Partitions of %1: owner, committed offset, end offset and lag</source>
            <translation>%1의 파티션: 소유 멤버, 커밋된 오프셋, 끝 오프셋, 랙</translation>
        </message>
        <message>
            <source>Lag over time (last 5 minutes)</source>
            <translation>시간에 따른 랙 (최근 5분)</translation>
        </message>
        <message>
            <source>messages behind</source>
            <translation>밀린 메시지</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ErrorBanner</name>
        <message>
            <source>%1 reported %2: %3</source>
            <translation>%1에서 %2 오류: %3</translation>
        </message>
        <message numerus="yes">
            <source>(%n more since the last dismissal)</source>
            <translation>
                <numerusform>(마지막으로 닫은 뒤 %n건 더)</numerusform>
            </translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>닫기</translation>
        </message>
        <message>
            <source>This happens while a consumer group rebalances (a member joined or left) and clears by itself. Offsets that could not be committed are read again, so a few events may be handled twice.</source>
            <translation>컨슈머 그룹이 리밸런스되는 동안(멤버가 들어오거나 나갈 때) 생기는 일로, 저절로 해소됩니다. 커밋하지 못한 오프셋은 다시 읽히므로 일부 이벤트가 두 번 처리될 수 있습니다.</translation>
        </message>
        <message>
            <source>A broker cannot be reached. If a lab stopped a broker this is expected; the clients reconnect when it is back. Otherwise check that the cluster is running.</source>
            <translation>브로커에 연결할 수 없습니다. 실습에서 브로커를 멈췄다면 예상된 일이며, 브로커가 돌아오면 클라이언트가 다시 연결합니다. 그렇지 않다면 클러스터가 실행 중인지 확인하세요.</translation>
        </message>
        <message>
            <source>The cluster answered too slowly (a busy machine, or a slow or stopped broker). Lower the workload rate or check the brokers.</source>
            <translation>클러스터의 응답이 너무 느립니다(바쁜 컴퓨터, 느리거나 멈춘 브로커). 워크로드 속도를 낮추거나 브로커를 확인하세요.</translation>
        </message>
        <message>
            <source>The cluster refused the login. Check the SASL mechanism, user name and password in the connection settings.</source>
            <translation>클러스터가 로그인을 거부했습니다. 연결 설정에서 SASL 메커니즘, 사용자 이름, 비밀번호를 확인하세요.</translation>
        </message>
        <message>
            <source>The TLS handshake failed. Check the CA file and that the broker's certificate matches the address you connect to.</source>
            <translation>TLS 핸드셰이크에 실패했습니다. CA 파일과, 브로커 인증서가 접속한 주소와 맞는지 확인하세요.</translation>
        </message>
        <message>
            <source>The producer's queue is full: events are made faster than the cluster accepts them. Lower the workload rate.</source>
            <translation>프로듀서 큐가 가득 찼습니다. 클러스터가 받아들이는 것보다 빠르게 이벤트를 만들고 있습니다. 워크로드 속도를 낮추세요.</translation>
        </message>
        <message>
            <source>The topic does not exist on this cluster. Check its name; the pipeline creates the guide's topics when it starts.</source>
            <translation>이 클러스터에 토픽이 없습니다. 토픽 이름을 확인하세요. 파이프라인은 시작할 때 가이드의 토픽을 만듭니다.</translation>
        </message>
        <message>
            <source>Too few in-sync replicas (min.insync.replicas) to accept a write with acks=all. Start the stopped broker again.</source>
            <translation>acks=all 쓰기를 받아들일 동기화 복제본(min.insync.replicas)이 부족합니다. 멈춘 브로커를 다시 시작하세요.</translation>
        </message>
        <message>
            <source>The consumer's position is no longer in the log (retention removed it); it starts again where auto.offset.reset says.</source>
            <translation>컨슈머의 위치가 더 이상 로그에 없습니다(보존 정책으로 삭제됨). auto.offset.reset 설정에 따라 다시 시작합니다.</translation>
        </message>
        <message>
            <source>This cluster does not support the request: the embedded cluster lacks some admin APIs. Use the local lab stack for it.</source>
            <translation>이 클러스터는 이 요청을 지원하지 않습니다. 내장 클러스터에는 일부 관리 API가 없으니 로컬 실습 스택을 사용하세요.</translation>
        </message>
        <message>
            <source>The event is larger than the broker accepts (message.max.bytes).</source>
            <translation>이벤트가 브로커가 받아들이는 크기(message.max.bytes)보다 큽니다.</translation>
        </message>
        <message>
            <source>The cluster could not be used with these settings. Check the connection settings and start again.</source>
            <translation>이 설정으로는 클러스터를 사용할 수 없습니다. 연결 설정을 확인하고 다시 시작하세요.</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::EventsPage</name>
        <message>
            <source>Events</source>
            <translation>이벤트</translation>
        </message>
        <message>
            <source>Sent: %1</source>
            <translation>보냄: %1</translation>
        </message>
        <message>
            <source>%1 newest records of %2, decoded as they arrive</source>
            <translation>%2 의 최신 레코드 %1건, 도착하는 대로 해석</translation>
        </message>
        <message>
            <source>The tail cannot read %1: %2</source>
            <translation>%1 을(를) 읽을 수 없습니다: %2</translation>
        </message>
        <message>
            <source>(cut: only the first %1 bytes are kept)</source>
            <translation>(잘림: 처음 %1바이트만 보관)</translation>
        </message>
        <message>
            <source>Not a valid event: %1</source>
            <translation>올바른 이벤트가 아닙니다: %1</translation>
        </message>
        <message>
            <source>Headers:</source>
            <translation>헤더:</translation>
        </message>
        <message>
            <source>Valid %1: goes to %2 with key %3</source>
            <translation>올바른 %1: %2 로 키 %3 와 함께 갑니다</translation>
        </message>
        <message>
            <source>Not valid, nothing will be sent: %1</source>
            <translation>올바르지 않아 보내지 않습니다: %1</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>보내는 중…</translation>
        </message>
        <message>
            <source>&amp;Tail topic:</source>
            <translation>실시간으로 볼 토픽(&amp;T):</translation>
        </message>
        <message>
            <source>Produce an event by hand, type:</source>
            <translation>이벤트 직접 보내기, 종류:</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>보내기</translation>
        </message>
        <message>
            <source>Checked with the app's own parser first; sent only when valid</source>
            <translation>앱의 파서로 먼저 검사하고, 올바를 때만 보냅니다</translation>
        </message>
        <message>
            <source>Select a record to see its raw JSON and headers</source>
            <translation>레코드를 고르면 원본 JSON 과 헤더를 봅니다</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::MainWindow</name>
        <message>
            <source>Labs</source>
            <translation>실습</translation>
        </message>
        <message>
            <source>Snapshot %1 · uptime %2 s</source>
            <translation>스냅숏 %1 · 가동 %2초</translation>
        </message>
        <message>
            <source>Kafka Collab Lab</source>
            <translation>Kafka Collab Lab</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>파일(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>끝내기(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>보기(&amp;V)</translation>
        </message>
        <message>
            <source>Show &amp;toasts for new mentions</source>
            <translation>새 멘션 토스트 알림 표시(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>언어/Language(&amp;L)</translation>
        </message>
        <message>
            <source>Follow the system</source>
            <translation>시스템 설정 따르기</translation>
        </message>
        <message>
            <source>&amp;Cluster</source>
            <translation>클러스터(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation>연결(&amp;C)…</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::MentionToast</name>
        <message>
            <source>New mention</source>
            <translation>새 멘션</translation>
        </message>
        <message>
            <source>@%1 was mentioned by %2 in #%3</source>
            <translation>#%3에서 %2님이 @%1님을 멘션했습니다</translation>
        </message>
        <message numerus="yes">
            <source>and %n more</source>
            <translation>
                <numerusform>외 %n건</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::NotificationModel</name>
        <message>
            <source>Created at %1, notified at %2</source>
            <translation>생성 %1, 알림 %2</translation>
        </message>
        <message>
            <source>Recipient</source>
            <translation>받는 사람</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>작성자</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>채널</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>메시지</translation>
        </message>
        <message>
            <source>Latency (ms)</source>
            <translation>지연 (ms)</translation>
        </message>
        <message>
            <source>Notified at</source>
            <translation>알림 시각</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::NotificationsPage</name>
        <message>
            <source>latency p50 %1 ms, p99 %2 ms</source>
            <translation>지연 p50 %1 ms, p99 %2 ms</translation>
        </message>
        <message>
            <source>showing %1 of %2 rows</source>
            <translation>%2행 중 %1행 표시</translation>
        </message>
        <message>
            <source>&amp;Recipient:</source>
            <translation>받는 사람(&amp;R):</translation>
        </message>
        <message>
            <source>Filter by recipient (e.g. user_007)</source>
            <translation>받는 사람으로 거르기 (예: user_007)</translation>
        </message>
        <message>
            <source>Mention notifications</source>
            <translation>멘션 알림</translation>
        </message>
        <message numerus="yes">
            <source>%Ln notification(s) in total</source>
            <translation>
                <numerusform>총 알림 %Ln건</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::OverviewPage</name>
        <message>
            <source>Overview</source>
            <translation>개요</translation>
        </message>
        <message>
            <source>none</source>
            <translation>없음</translation>
        </message>
        <message>
            <source>Partitions of %1</source>
            <translation>%1 의 파티션</translation>
        </message>
        <message>
            <source>up</source>
            <translation>동작</translation>
        </message>
        <message>
            <source>down</source>
            <translation>멈춤</translation>
        </message>
        <message>
            <source>Waiting for the lag monitor's first cycle…</source>
            <translation>랙 모니터의 첫 주기를 기다리는 중…</translation>
        </message>
        <message>
            <source>broker %1</source>
            <translation>브로커 %1</translation>
        </message>
        <message>
            <source>Broker</source>
            <translation>브로커</translation>
        </message>
        <message>
            <source>State</source>
            <translation>상태</translation>
        </message>
        <message>
            <source>Leads partitions</source>
            <translation>리더인 파티션</translation>
        </message>
        <message>
            <source>Messages in them</source>
            <translation>그 파티션의 메시지</translation>
        </message>
        <message>
            <source>Topic</source>
            <translation>토픽</translation>
        </message>
        <message>
            <source>Partitions</source>
            <translation>파티션</translation>
        </message>
        <message>
            <source>Messages held</source>
            <translation>보관 메시지</translation>
        </message>
        <message>
            <source>Messages/s (cluster)</source>
            <translation>초당 메시지 (클러스터)</translation>
        </message>
        <message>
            <source>Read/s (all groups)</source>
            <translation>읽기/초 (모든 그룹)</translation>
        </message>
        <message>
            <source>Skew (max/mean)</source>
            <translation>쏠림 (최대/평균)</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>파티션</translation>
        </message>
        <message>
            <source>Leader</source>
            <translation>리더</translation>
        </message>
        <message>
            <source>Replicas</source>
            <translation>복제본</translation>
        </message>
        <message>
            <source>In-sync replicas</source>
            <translation>동기화된 복제본</translation>
        </message>
        <message>
            <source>Load per broker</source>
            <translation>브로커별 부하</translation>
        </message>
        <message>
            <source>partitions led</source>
            <translation>리더인 파티션 수</translation>
        </message>
        <message>
            <source>messages held (relative)</source>
            <translation>보관 메시지 (상대값)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::PartitionLagModel</name>
        <message>
            <source>(no owner)</source>
            <translation>(소유자 없음)</translation>
        </message>
        <message>
            <source>Topic</source>
            <translation>토픽</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>파티션</translation>
        </message>
        <message>
            <source>Owner (member)</source>
            <translation>소유 멤버</translation>
        </message>
        <message>
            <source>Committed offset</source>
            <translation>커밋된 오프셋</translation>
        </message>
        <message>
            <source>End offset</source>
            <translation>끝 오프셋</translation>
        </message>
        <message>
            <source>Lag</source>
            <translation>랙</translation>
        </message>
        <message>
            <source>Time lag (s)</source>
            <translation>시간 랙 (초)</translation>
        </message>
        <message>
            <source>Read to the end: only transaction markers remain after the committed offset. A consumer commits the offset after its last record, and the marker that ends a transaction is never delivered, so this lag stays.</source>
            <translation>끝까지 읽었습니다: 커밋된 오프셋 뒤에는 트랜잭션 마커만 남아 있습니다. 컨슈머는 마지막 레코드 다음 오프셋을 커밋하고, 트랜잭션을 끝내는 마커는 전달되지 않으므로 이 랙은 남아 있습니다.</translation>
        </message>
        <message>
            <source>%1 (markers only)</source>
            <translation>%1 (마커만 남음)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::PipelinePage</name>
        <message>
            <source>Pipeline</source>
            <translation>파이프라인</translation>
        </message>
        <message>
            <source>%1 records/s · %2 handled · %3 with partitions · %4 dead-lettered · %5 rebalances</source>
            <translation>초당 %1건 · %2건 처리 · 파티션 가진 멤버 %3 · 데드레터 %4건 · 리밸런스 %5회</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>멈춤</translation>
        </message>
        <message>
            <source>Untick a broker to stop it: its partitions stall until it is back (the embedded cluster keeps leadership with a stopped broker).</source>
            <translation>브로커 체크를 풀면 그 브로커가 멈춥니다: 돌아올 때까지 그 파티션이 멈춰 있습니다(내장 클러스터는 멈춘 브로커가 리더를 유지합니다).</translation>
        </message>
        <message>
            <source>Brokers of a real cluster are stopped outside the app, for example 'kafka-collab-lab stack stop-broker 2' on the local lab stack.</source>
            <translation>실제 클러스터의 브로커는 앱 밖에서 멈춥니다. 예: 로컬 실습 스택에서 'kafka-collab-lab stack stop-broker 2'.</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>중지</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>시작</translation>
        </message>
        <message>
            <source>Services (one consumer group each)</source>
            <translation>서비스 (서비스마다 컨슈머 그룹 하나)</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>서비스</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>멤버</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>실행</translation>
        </message>
        <message>
            <source>Delay per record</source>
            <translation>레코드당 지연</translation>
        </message>
        <message>
            <source>Offsets</source>
            <translation>오프셋</translation>
        </message>
        <message>
            <source>What it does now</source>
            <translation>지금 하는 일</translation>
        </message>
        <message>
            <source>Remove a member (the group rebalances)</source>
            <translation>멤버 제거 (그룹이 리밸런스됩니다)</translation>
        </message>
        <message>
            <source>Add a member (the group rebalances)</source>
            <translation>멤버 추가 (그룹이 리밸런스됩니다)</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Slow this consumer: every member waits this long per record, so lag builds</source>
            <translation>이 컨슈머를 느리게: 멤버마다 레코드당 이만큼 기다리므로 랙이 쌓입니다</translation>
        </message>
        <message>
            <source>Rewind</source>
            <translation>되감기</translation>
        </message>
        <message>
            <source>Reset the group's committed offsets to the start of every partition (its members leave and rejoin) and watch it reprocess</source>
            <translation>그룹의 커밋 오프셋을 모든 파티션의 처음으로 되돌리고(멤버가 나갔다가 다시 들어옵니다) 다시 처리하는 것을 봅니다</translation>
        </message>
        <message>
            <source>Brokers</source>
            <translation>브로커</translation>
        </message>
        <message>
            <source>broker %1 up</source>
            <translation>브로커 %1 동작</translation>
        </message>
        <message>
            <source>Backend workload</source>
            <translation>백엔드 워크로드</translation>
        </message>
        <message>
            <source>Key message events by channel (per-channel order); untick to send them without a key</source>
            <translation>메시지 이벤트를 채널 키로 보내기(채널별 순서); 체크를 풀면 키 없이 보냅니다</translation>
        </message>
        <message>
            <source>node up</source>
            <translation>노드 정상</translation>
        </message>
        <message>
            <source>node down</source>
            <translation>노드 중단</translation>
        </message>
        <message>
            <source>node answers but refuses the writes (see the error)</source>
            <translation>노드가 응답하지만 쓰기를 거부함 (오류 참고)</translation>
        </message>
        <message>
            <source>node not reached yet</source>
            <translation>노드에 아직 닿지 않음</translation>
        </message>
        <message>
            <source>index '%1': %2 written · %3 deleted · %4 already applied (409) · %5 waiting · %6 failed bulks · %7</source>
            <translation>인덱스 '%1': %2건 기록 · %3건 삭제 · %4건 이미 적용(409) · %5건 대기 · 실패한 벌크 %6건 · %7</translation>
        </message>
        <message>
            <source>%1 events applied · %2 messages rebuilt (%3 deleted) · %4</source>
            <translation>이벤트 %1건 적용 · 메시지 %2개 재구성(%3개 삭제) · %4</translation>
        </message>
        <message>
            <source>caught up</source>
            <translation>따라잡음</translation>
        </message>
        <message>
            <source>replaying</source>
            <translation>재생 중</translation>
        </message>
        <message numerus="yes">
            <source>compared with the write model: %n difference(s)</source>
            <translation>
                <numerusform>쓰기 모델과 비교: 차이 %n건</numerusform>
            </translation>
        </message>
        <message>
            <source>latest state in %1 (compacted): %2 records written</source>
            <translation>%1 의 최신 상태(컴팩션): 레코드 %2개를 씀</translation>
        </message>
        <message>
            <source>reading the latest-state topic back...</source>
            <translation>최신 상태 토픽을 다시 읽는 중...</translation>
        </message>
        <message>
            <source>read back: %1 records for %2 messages (%3 tombstones); the log cleaner removed the older ones</source>
            <translation>다시 읽음: 메시지 %2개에 레코드 %1개(툼스톤 %3개); 오래된 것은 로그 클리너가 지웠습니다</translation>
        </message>
        <message>
            <source>%1 lines in %2</source>
            <translation>%2 에 %1줄</translation>
        </message>
        <message>
            <source>%1 events in windows · %2 late · %3 windows closed</source>
            <translation>윈도에 이벤트 %1건 · 늦은 이벤트 %2건 · 닫힌 윈도 %3개</translation>
        </message>
        <message>
            <source>Send a poison message</source>
            <translation>독이 든 메시지 보내기</translation>
        </message>
        <message>
            <source>Send one record that is JSON but not an event to platform.messages.created: every consumer refuses it and sends it to platform.deadletter, then goes on</source>
            <translation>JSON 이지만 이벤트가 아닌 레코드 하나를 platform.messages.created 로 보냅니다: 모든 컨슈머가 거부하고 platform.deadletter 로 보낸 뒤 계속 처리합니다</translation>
        </message>
        <message>
            <source>Replay: rebuild the state</source>
            <translation>재생: 상태 재구성</translation>
        </message>
        <message>
            <source>Start the state rebuilder in a new group that reads the message topics from the beginning (event sourcing)</source>
            <translation>메시지 토픽을 처음부터 읽는 새 그룹으로 상태 재구성기를 시작합니다(이벤트 소싱)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::SearchPage</name>
        <message>
            <source>Search</source>
            <translation>검색</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>검색 중…</translation>
        </message>
        <message>
            <source>The search failed: %1</source>
            <translation>검색에 실패했습니다: %1</translation>
        </message>
        <message>
            <source>%1 shown of %2 matching messages; the node took %3 ms, round trip %4 ms</source>
            <translation>일치하는 메시지 %2건 중 %1건 표시; 노드 처리 %3 ms, 왕복 %4 ms</translation>
        </message>
        <message>
            <source>No message matches.</source>
            <translation>일치하는 메시지가 없습니다.</translation>
        </message>
        <message>
            <source>The search indexer runs with %1 member(s) and has handled %2 events; a message is searchable about a second after it is indexed (the node refreshes its index once a second).</source>
            <translation>검색 인덱서가 멤버 %1명으로 돌며 이벤트 %2건을 처리했습니다; 메시지는 색인되고 약 1초 뒤에 검색됩니다(노드가 1초마다 인덱스를 새로 고칩니다).</translation>
        </message>
        <message>
            <source>The search indexer is not running: start it on the Pipeline page to fill the index.</source>
            <translation>검색 인덱서가 돌고 있지 않습니다: 파이프라인 화면에서 시작해 인덱스를 채우세요.</translation>
        </message>
        <message>
            <source>&amp;Text:</source>
            <translation>텍스트(&amp;T):</translation>
        </message>
        <message>
            <source>words to find in messages, e.g. 배포 or deploy</source>
            <translation>메시지에서 찾을 단어, 예: 배포 또는 deploy</translation>
        </message>
        <message>
            <source>&amp;Channel:</source>
            <translation>채널(&amp;C):</translation>
        </message>
        <message>
            <source>any</source>
            <translation>전체</translation>
        </message>
        <message>
            <source>&amp;Author:</source>
            <translation>작성자(&amp;A):</translation>
        </message>
        <message>
            <source>Read load: %1 readers · %2 searches · p50 %3 ms · p99 %4 ms · %5 errors</source>
            <translation>읽기 부하: 리더 %1개 · 검색 %2건 · p50 %3ms · p99 %4ms · 오류 %5건</translation>
        </message>
        <message>
            <source>Write to searchable: %1 of %2 probes found · p50 %3 ms · p99 %4 ms</source>
            <translation>쓰기에서 검색까지: 프로브 %2개 중 %1개 찾음 · p50 %3ms · p99 %4ms</translation>
        </message>
        <message>
            <source>Write side (PostgreSQL commit): p50 %1 ms · p99 %2 ms</source>
            <translation>쓰기 쪽(PostgreSQL 커밋): p50 %1ms · p99 %2ms</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::TailModel</name>
        <message>
            <source>not an event</source>
            <translation>이벤트 아님</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>시각</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>파티션</translation>
        </message>
        <message>
            <source>Offset</source>
            <translation>오프셋</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>키</translation>
        </message>
        <message>
            <source>Event type</source>
            <translation>이벤트 종류</translation>
        </message>
        <message>
            <source>What it says</source>
            <translation>내용</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ThroughputPage</name>
        <message>
            <source>&amp;Time window:</source>
            <translation>시간 범위(&amp;T):</translation>
        </message>
        <message>
            <source>Last 5 minutes</source>
            <translation>최근 5분</translation>
        </message>
        <message>
            <source>Last 15 minutes</source>
            <translation>최근 15분</translation>
        </message>
        <message>
            <source>Last 60 minutes</source>
            <translation>최근 60분</translation>
        </message>
        <message>
            <source>Messages in per second</source>
            <translation>초당 유입 메시지 (Messages In)</translation>
        </message>
        <message>
            <source>Messages out per second</source>
            <translation>초당 유출 메시지 (Messages Out)</translation>
        </message>
        <message>
            <source>messages/s</source>
            <translation>메시지/초</translation>
        </message>
        <message>
            <source>All topics: %1 messages/s in, %2 messages/s out</source>
            <translation>전체 토픽: 유입 %1 메시지/초, 유출 %2 메시지/초</translation>
        </message>
        <message>
            <source>Throughput</source>
            <translation>처리량</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::ThroughputTableModel</name>
        <message>
            <source>Topic</source>
            <translation>토픽</translation>
        </message>
        <message>
            <source>Partitions</source>
            <translation>파티션</translation>
        </message>
        <message>
            <source>In (msg/s)</source>
            <translation>유입 (메시지/초)</translation>
        </message>
        <message>
            <source>Out (msg/s)</source>
            <translation>유출 (메시지/초)</translation>
        </message>
        <message>
            <source>In (bytes/s)</source>
            <translation>유입 (바이트/초)</translation>
        </message>
        <message>
            <source>Out (bytes/s)</source>
            <translation>유출 (바이트/초)</translation>
        </message>
        <message>
            <source>Total in</source>
            <translation>누적 유입</translation>
        </message>
        <message>
            <source>Total out</source>
            <translation>누적 유출</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::WorkloadControls</name>
        <message>
            <source>%1 requested, %2 with partitions assigned</source>
            <translation>요청 %1명, 파티션을 할당받은 멤버 %2명</translation>
        </message>
        <message>
            <source>Stop workload</source>
            <translation>워크로드 중지</translation>
        </message>
        <message>
            <source>Start workload</source>
            <translation>워크로드 시작</translation>
        </message>
        <message>
            <source>Start or stop the simulated backend (users writing messages with mentions)</source>
            <translation>시뮬레이션 백엔드(멘션이 담긴 메시지를 쓰는 사용자들)를 시작하거나 멈춥니다</translation>
        </message>
        <message>
            <source>&amp;Rate:</source>
            <translation>속도(&amp;R):</translation>
        </message>
        <message>
            <source> events/s</source>
            <translation> 이벤트/초</translation>
        </message>
        <message>
            <source>Events per second the backend workload produces</source>
            <translation>백엔드 워크로드가 초당 생산하는 이벤트 수</translation>
        </message>
        <message>
            <source>notification-service members:</source>
            <translation>notification-service 멤버:</translation>
        </message>
        <message>
            <source>Remove a member (the group rebalances)</source>
            <translation>멤버 하나 제거 (그룹이 리밸런스됩니다)</translation>
        </message>
        <message>
            <source>Add a member (the group rebalances)</source>
            <translation>멤버 하나 추가 (그룹이 리밸런스됩니다)</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::LabPanel</name>
        <message>
            <source>Throughput</source>
            <translation>처리량</translation>
        </message>
        <message>
            <source>Notifications</source>
            <translation>멘션 알림</translation>
        </message>
        <message>
            <source>Consumer groups</source>
            <translation>컨슈머 그룹</translation>
        </message>
        <message>
            <source>Pipeline</source>
            <translation>파이프라인</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>이벤트</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>개요</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>검색</translation>
        </message>
        <message>
            <source>%1 / %2 s</source>
            <translation>%1 / %2초</translation>
        </message>
        <message>
            <source>3 brokers</source>
            <translation>브로커 3대</translation>
        </message>
        <message>
            <source>Cannot write %1.</source>
            <translation>%1 을(를) 쓸 수 없습니다.</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 을(를) 쓸 수 없습니다: %2</translation>
        </message>
        <message>
            <source>Checklist</source>
            <translation>체크리스트</translation>
        </message>
        <message>
            <source>Choose a lab</source>
            <translation>실습 선택</translation>
        </message>
        <message>
            <source>Could not start the local lab stack: %1</source>
            <translation>로컬 실습 스택을 시작할 수 없습니다: %1</translation>
        </message>
        <message>
            <source>Export report…</source>
            <translation>보고서 내보내기…</translation>
        </message>
        <message>
            <source>Export the lab report</source>
            <translation>실습 보고서 내보내기</translation>
        </message>
        <message>
            <source>FAILED: see the checks in red.</source>
            <translation>실패: 빨간색 확인 항목을 보세요.</translation>
        </message>
        <message>
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <source>Missing: %1.</source>
            <translation>부족한 것: %1.</translation>
        </message>
        <message>
            <source>Needs: %1 · %2 s</source>
            <translation>필요: %1 · %2초</translation>
        </message>
        <message>
            <source>PASSED: every check held.</source>
            <translation>통과: 모든 확인 항목이 맞았습니다.</translation>
        </message>
        <message>
            <source>PostgreSQL</source>
            <translation>PostgreSQL</translation>
        </message>
        <message>
            <source>Run a lab to the end (or stop it) first.</source>
            <translation>먼저 실습을 끝까지 실행하세요(또는 중지하세요).</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>실행</translation>
        </message>
        <message>
            <source>Running…</source>
            <translation>실행 중…</translation>
        </message>
        <message>
            <source>Start the local lab stack</source>
            <translation>로컬 실습 스택 시작</translation>
        </message>
        <message>
            <source>Starting the lab…</source>
            <translation>실습을 시작하는 중…</translation>
        </message>
        <message>
            <source>Starting the local lab stack…</source>
            <translation>로컬 실습 스택을 시작하는 중…</translation>
        </message>
        <message>
            <source>Steps</source>
            <translation>단계</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>중지</translation>
        </message>
        <message>
            <source>Stopped: %1</source>
            <translation>중지됨: %1</translation>
        </message>
        <message>
            <source>The local lab stack did not start (exit code %1): %2</source>
            <translation>로컬 실습 스택이 시작되지 않았습니다(종료 코드 %1): %2</translation>
        </message>
        <message>
            <source>The local lab stack is running (%1): Run uses it.</source>
            <translation>로컬 실습 스택이 실행 중입니다(%1): 실행하면 이 스택을 씁니다.</translation>
        </message>
        <message>
            <source>a command is already running</source>
            <translation>이미 명령이 실행 중입니다</translation>
        </message>
        <message>
            <source>a real Kafka cluster (the app runs on the embedded one)</source>
            <translation>실제 Kafka 클러스터(앱은 내장 클러스터에서 실행 중)</translation>
        </message>
        <message>
            <source>a real Kafka cluster</source>
            <translation>실제 Kafka 클러스터</translation>
        </message>
        <message>
            <source>draining: waiting for the pipeline to be quiet…</source>
            <translation>마무리: 파이프라인이 조용해지기를 기다리는 중…</translation>
        </message>
        <message>
            <source>the embedded cluster</source>
            <translation>내장 클러스터</translation>
        </message>
        <message>
            <source>the embedded cluster's fault injection: start the app with --cluster embedded</source>
            <translation>내장 클러스터의 장애 주입: 앱을 --cluster embedded 로 시작하세요</translation>
        </message>
        <message>
            <source>the search indexer, which this version of the app does not run yet</source>
            <translation>검색 인덱서(이 버전의 앱은 아직 실행하지 않습니다)</translation>
        </message>
        <message>
            <source>PostgreSQL for the lab's write_mode ('sql' missing from its needs)</source>
            <translation>실습의 write_mode 에 필요한 PostgreSQL(needs 에 'sql' 이 없습니다)</translation>
        </message>
        <message>
            <source>the search node</source>
            <translation>검색 노드</translation>
        </message>
        <message numerus="yes">
            <source>Report written: %1 (and %n picture(s)).</source>
            <translation>
                <numerusform>보고서를 썼습니다: %1 (그림 %n개 포함).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::LabStepModel</name>
        <message>
            <source>%1 s</source>
            <translation>%1초</translation>
        </message>
        <message>
            <source>At</source>
            <translation>시각</translation>
        </message>
        <message>
            <source>Page</source>
            <translation>화면</translation>
        </message>
        <message>
            <source>State</source>
            <translation>상태</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>단계</translation>
        </message>
        <message>
            <source>done</source>
            <translation>완료</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>실패</translation>
        </message>
        <message>
            <source>pending</source>
            <translation>대기</translation>
        </message>
    </context>
    <context>
        <name>kcl::ui::LabCheckModel</name>
        <message>
            <source>value at the end: %1</source>
            <translation>끝의 값: %1</translation>
        </message>
        <message>
            <source>held at %1 s (value %2)</source>
            <translation>%1초에 맞음 (값 %2)</translation>
        </message>
        <message>
            <source>never held during the run</source>
            <translation>실행 중 한 번도 맞지 않음</translation>
        </message>
        <message>
            <source>held on every sample</source>
            <translation>모든 표본에서 맞음</translation>
        </message>
        <message>
            <source>broken at %1 s (value %2)</source>
            <translation>%1초에 깨짐 (값 %2)</translation>
        </message>
        <message>
            <source>Check and what to see</source>
            <translation>확인 항목과 볼 것</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>결과</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>값</translation>
        </message>
        <message>
            <source>always</source>
            <translation>항상</translation>
        </message>
        <message>
            <source>at some point</source>
            <translation>한때</translation>
        </message>
        <message>
            <source>at the end</source>
            <translation>끝에</translation>
        </message>
        <message>
            <source>… pending</source>
            <translation>… 대기</translation>
        </message>
        <message>
            <source>✔ passed</source>
            <translation>✔ 통과</translation>
        </message>
        <message>
            <source>✘ failed</source>
            <translation>✘ 실패</translation>
        </message>
    </context>
</TS>
