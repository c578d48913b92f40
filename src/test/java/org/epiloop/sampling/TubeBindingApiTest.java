package org.epiloop.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.junit.jupiter.api.Test;

/** Tube opening, binding, sealing and unbinding through HTTP on the real database (S2–S3, R2–R3). */
class TubeBindingApiTest extends IntegrationTest {

}
