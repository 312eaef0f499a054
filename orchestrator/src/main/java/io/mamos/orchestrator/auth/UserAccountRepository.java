package io.mamos.orchestrator.auth;

import org.springframework.data.repository.ListCrudRepository;

public interface UserAccountRepository extends ListCrudRepository<UserAccount, String> {
}
