package io.mamos.orchestrator.schedule;

import java.util.List;
import org.springframework.data.repository.ListCrudRepository;

interface ScheduleRepository extends ListCrudRepository<Schedule, String> {

    List<Schedule> findAllByOrderByCreatedAtDesc();

    boolean existsByName(String name);
}
